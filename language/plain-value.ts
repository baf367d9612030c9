import * as jsYaml from "js-yaml";
import type { PlainNode } from "./plain-style";

/** How js-yaml resolves a plain scalar: the implicit types of the schema, in its order. */
interface ImplicitType {
  resolve(data: string): boolean;
  construct(data: string): unknown;
}

/** The core schema's implicit types (null, bool, int, float), as js-yaml's loader takes them from the schema. */
const IMPLICIT = (jsYaml.CORE_SCHEMA as unknown as { compiledImplicit?: ImplicitType[] }).compiledImplicit;

const NOT_READ = { notRead: true } as const;

/**
 * The value js-yaml (core schema) loads from a file in the plain style, from its structure; undefined
 * where it would take more than that structure to be sure (a double-quoted scalar with escapes, a key
 * the schema reads as something other than a string), and js-yaml reads the file instead.
 */
export function plainValue(root: PlainNode): { value: unknown } | undefined {
  if (!Array.isArray(IMPLICIT)) return undefined;
  try {
    return { value: valueOf(root, IMPLICIT) };
  } catch (error) {
    if (error === NOT_READ) return undefined;
    throw error;
  }
}

function valueOf(node: PlainNode, implicit: ImplicitType[]): unknown {
  if (node.kind === "map") {
    const out: Record<string, unknown> = {};
    // The keys are simple (plain-style.ts): strings to the core schema too.
    for (const entry of node.entries) out[entry.key] = valueOf(entry.value, implicit);
    return out;
  }
  if (node.kind === "seq") return node.items.map((item) => valueOf(item, implicit));
  if (node.style === "single") return node.source.replace(/''/g, "'");
  if (node.style === "double") {
    if (node.source.includes("\\")) throw NOT_READ;
    return node.source;
  }
  return resolved(node.source, implicit);
}

/** The first characters of what the core schema's types read: null (`~`, `null`), booleans, numbers. */
const TYPED_START = new Set("-+.0123456789~nNtTfF");

function resolved(source: string, implicit: ImplicitType[]): unknown {
  if (source.length > 0 && !TYPED_START.has(source[0])) return source;
  for (const type of implicit) if (type.resolve(source)) return type.construct(source);
  return source;
}
