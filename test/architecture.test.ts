import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { describe, expect, it } from "vitest";
import { KINDS } from "../kinds";

/**
 * The shape docs/architecture.md describes, held by a test: each folder imports only the folders
 * before it on the data path, no module imports itself through others (type-only imports included),
 * and the parts that grow with every kind stay small enough to read whole.
 */
const root = path.join(__dirname, "..");

/** Folder → the folders it may import from (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
  api: [],
  errors: [],
  language: ["api", "errors"],
  kinds: ["api", "errors", "language"],
  drills: ["api", "errors", "language", "kinds"],
  checks: ["api", "errors", "language", "kinds", "drills"],
  plan: ["api", "errors", "language", "kinds"],
  client: ["api", "errors"],
  access: ["api", "errors", "language", "kinds", "client", "plan"],
  facts: ["api", "errors", "language", "kinds", "client"],
  verify: ["api", "errors", "client", "drills"],
  providers: ["api", "errors", "language", "kinds", "drills", "checks", "plan", "client", "facts", "access", "verify"],
  report: ["api", "errors", "drills"],
  cli: ["api", "errors", "language", "kinds", "drills", "checks", "plan", "client", "facts", "access", "report"],
  emulator: ["api"],
  harness: ["api", "errors", "language", "kinds", "drills", "checks", "plan", "client", "facts", "access", "verify", "providers", "emulator", "(root)"],
  bench: ["api", "errors", "language", "kinds", "drills", "checks", "plan", "client", "facts", "access", "verify", "providers", "emulator", "harness", "cli", "report", "(root)"],
  scripts: ["api", "errors", "language", "kinds", "drills", "checks", "plan", "client", "facts", "access", "verify", "providers", "emulator", "harness", "cli", "report"],
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...sources(full));
    else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

const files = [...Object.keys(MAY_IMPORT).filter((d) => fs.existsSync(path.join(root, d))).flatMap((d) => sources(path.join(root, d))), path.join(root, "index.ts")];

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier.replace(/^(\.\.?\/)+dist\//, (m) => m.replace("dist/", "")));
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

/** Every module a file imports, type-only and dynamic imports included. */
const imports = new Map<string, string[]>(
  files.map((file) => {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return [file, info.importedFiles.map((f) => resolve(file, f.fileName)).filter((f): f is string => f !== undefined)];
  }),
);

const folderOf = (file: string) => {
  const rel = path.relative(root, file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0] : "(root)";
};

describe("the architecture", () => {
  it("each folder imports only the folders before it on the data path", () => {
    const backwards: string[] = [];
    for (const [file, deps] of imports) {
      const from = folderOf(file);
      if (from === "(root)") continue;
      for (const dep of deps) {
        const to = folderOf(dep);
        if (to !== from && !MAY_IMPORT[from].includes(to)) backwards.push(`${path.relative(root, file)} -> ${path.relative(root, dep)}`);
      }
    }
    expect(backwards).toEqual([]);
  });

  it("has no import cycles between modules, type-only imports included", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].map((f) => path.relative(root, f)).join(" -> "));
        return;
      }
      state.set(file, "visiting");
      stack.push(file);
      for (const dep of imports.get(file) ?? []) if (imports.has(dep)) visit(dep);
      stack.pop();
      state.set(file, "done");
    };
    for (const file of imports.keys()) visit(file);
    expect(cycles).toEqual([]);
  });

  it("keeps each kind module, the registry, the session and each emulator handler under ~300 lines", () => {
    const watched = [
      ...sources(path.join(root, "kinds")),
      path.join(root, "providers", "session.ts"),
      ...(fs.existsSync(path.join(root, "emulator", "handlers")) ? sources(path.join(root, "emulator", "handlers")) : []),
      ...(fs.existsSync(path.join(root, "emulator", "kinds")) ? sources(path.join(root, "emulator", "kinds")) : []),
    ];
    const long = watched.map((f) => ({ file: path.relative(root, f), lines: fs.readFileSync(f, "utf8").split("\n").length })).filter((f) => f.lines > 320);
    expect(long).toEqual([]);
  });

  it("names no kind outside the kind modules: generic code reaches kinds through the registry", () => {
    const generic = ["checks", "plan", "facts", "providers", "cli"].flatMap((d) => sources(path.join(root, d)));
    const named = generic.flatMap((file) => {
      const text = fs.readFileSync(file, "utf8");
      return KINDS.filter((k) => new RegExp(`["'\`]${k.name}["'\`]`).test(text)).map((k) => `${path.relative(root, file)} names ${k.name}`);
    });
    expect(named).toEqual([]);
  });
});
