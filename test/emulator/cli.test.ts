import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { describe, expect, test } from "vitest";
import { DEFAULT_PORT, parseArgs, runCli, UsageError } from "../../emulator/main";
import { call, TEST_CERT_DIR } from "./helpers";

/** `npm run emulator -- ...`: arguments, the ready line, and a graceful stop. */

const READY = /^azure-restores emulator listening on (https:\/\/127\.0\.0\.1:\d+) ca=(\/\S+\.pem)$/;

describe("arguments", () => {
  test("defaults and every flag", () => {
    expect(parseArgs([])).toEqual({ port: DEFAULT_PORT, quiet: false, help: false });
    expect(
      parseArgs(["--port", "0", "--world", "w.yaml", "--time-scale=60", "--faults", "f.yaml", "--state", "s.json", "--cert", "c.pem", "--key", "k.pem", "--ca", "ca.pem", "--cert-dir", "d", "--strict", "--quiet"]),
    ).toEqual({ port: 0, world: "w.yaml", timeScale: 60, faults: "f.yaml", statePath: "s.json", certPath: "c.pem", keyPath: "k.pem", caPath: "ca.pem", certDir: "d", strict: true, quiet: true, help: false });
  });

  test("data planes from flags, else from EMULATOR_* variables", () => {
    const env = { EMULATOR_BLOB_ENDPOINT: "http://127.0.0.1:10000/devstoreaccount1", EMULATOR_BLOB_ACCOUNT: "devstoreaccount1", EMULATOR_BLOB_KEY: "a2V5", EMULATOR_POSTGRES_URL: "postgres://u:p@127.0.0.1:5432/postgres" };
    expect(parseArgs([], env).dataPlanes).toEqual({ blobEndpoint: env.EMULATOR_BLOB_ENDPOINT, blobAccountName: "devstoreaccount1", blobAccountKey: "a2V5", postgresUrl: env.EMULATOR_POSTGRES_URL });
    expect(parseArgs(["--postgres-url", "postgres://other@127.0.0.1:6543/postgres"], env).dataPlanes?.postgresUrl).toBe("postgres://other@127.0.0.1:6543/postgres");
    expect(parseArgs([], {}).dataPlanes).toBeUndefined();
  });

  test("mistakes are usage errors", () => {
    for (const argv of [["--bogus"], ["--port"], ["--port", "http"], ["--port", "70000"], ["--time-scale", "0"], ["--cert", "c.pem"], ["--world", "--strict"], ["--blob-endpoint", "http://x"], ["--postgres-url", "mysql://x"]]) {
      expect(() => parseArgs(argv), argv.join(" ")).toThrow(UsageError);
    }
  });
});

describe("running", () => {
  test("in process: one ready line with the URL and the CA path", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const emu = await runCli(["--port", "0", "--cert-dir", TEST_CERT_DIR, "--strict"], { stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    try {
      expect(out).toHaveLength(1);
      const m = READY.exec(out[0]);
      expect(m?.[1]).toBe(emu?.url);
      expect(m?.[2]).toBe(emu?.caCertPath);
      await call(emu!, "GET", "/_emulator/health", { token: null });
      expect(err.join("\n")).toMatch(/GET \/_emulator\/health control api-version=- 200/);
    } finally {
      await emu?.stop();
    }
  });

  test("as a process: ready line on stdout, serves, stops on SIGTERM", async () => {
    const main = path.join(__dirname, "..", "..", "emulator", "main.ts");
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", main, "--port", "0", "--quiet", "--cert-dir", TEST_CERT_DIR], {
      cwd: path.join(__dirname, "..", ".."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const m = READY.exec(line);
      expect(m).not.toBeNull();
      const url = m![1];
      const health = await call({ url, caCert: fs.readFileSync(m![2], "utf8") }, "GET", "/_emulator/health", { token: null });
      expect(health.status).toBe(200);
      const code = await new Promise<number | null>((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
