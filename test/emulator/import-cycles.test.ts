import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { describe, expect, test } from "vitest";

/**
 * The emulator's modules import one another in one direction only: no cycle, type-only imports and
 * re-exports included (a type cycle still ties two modules together for the reader and for a split).
 */

const ROOT = path.join(__dirname, "..", "..", "emulator");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Relative module specifiers of a file: imports, re-exports, `import("...")` types and calls. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) out.push(node.moduleReference.expression.text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) out.push(node.argument.literal.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out.filter((s) => s.startsWith("."));
}

function resolve(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
}

/** Every cycle's modules, relative to emulator/, each cycle found once from its first module. */
function importCycles(files: string[]): string[][] {
  const edges = new Map(files.map((f) => [f, specifiers(f).map((s) => resolve(f, s)).filter((t): t is string => t !== undefined && t.startsWith(ROOT))]));
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const walk = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(ROOT, f)));
      else if (!state.has(next)) walk(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const f of files) if (!state.has(f)) walk(f);
  return cycles;
}

describe("emulator module structure", () => {
  test("no import cycles between the emulator's modules, type-only imports included", () => {
    const files = sources(ROOT);
    expect(files.length).toBeGreaterThan(10);
    expect(importCycles(files).map((c) => c.join(" → "))).toEqual([]);
  });
});
