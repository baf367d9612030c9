import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import type { BenchReport } from "./report";

/** What the benchmarks share: their log, their child processes, the machine they ran on. */

export const ROOT = path.join(__dirname, "..");
export const OUT = path.join(__dirname, ".out");

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs a child and parses the last line of its stdout as JSON. */
export function runJson<T>(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15 * 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, BENCH_ROOT: ROOT, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").filter(Boolean).at(-1);
      try {
        const parsed = JSON.parse(line ?? "") as T & { error?: string };
        resolve(parsed);
      } catch {
        reject(new Error(`${args.join(" ")} exited ${code} without a result:\n${out.slice(-2000)}\n${err.slice(-4000)}`));
      }
    });
  });
}

export function transpile(file: string): string {
  const source = fs.readFileSync(path.join(__dirname, file), "utf8");
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: file });
  fs.mkdirSync(OUT, { recursive: true });
  const target = path.join(OUT, file.replace(/\.ts$/, ".js"));
  fs.writeFileSync(target, output.outputText);
  return target;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function machine(): BenchReport["machine"] {
  const cpus = os.cpus();
  let model = cpus[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) model = m[1].trim();
  } catch {
    // not Linux
  }
  return {
    cpu: model,
    cores: cpus.length,
    mhz: cpus[0]?.speed,
    memoryGb: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg(),
  };
}
