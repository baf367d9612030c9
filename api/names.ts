/**
 * Property names as the service reads them: without regard to case. Azure accepts
 * `datasourceInfo.resourceId` where the definitions spell `resourceID` (the Azure CLI sent it so from
 * 2023 to late 2025, see test/fixtures/recordings), so a body is renamed to the definitions' spelling
 * before it is checked or used. Walks the checked form of a definition (api/schema.ts).
 */
type JsonSchema = Record<string, unknown>;

function resolve(root: JsonSchema, schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let i = 0; current && typeof current.$ref === "string" && i < 32; i++) {
    current = (root.definitions as Record<string, JsonSchema>)[current.$ref.replace("#/definitions/", "")];
  }
  return current;
}

/** The member of a discriminated union a value names (its discriminator compared without regard to case, as its name is). */
function member(root: JsonSchema, union: JsonSchema, value: Record<string, unknown>): JsonSchema | undefined {
  const tag = (union.discriminator as { propertyName: string }).propertyName;
  const key = Object.keys(value).find((k) => k.toLowerCase() === tag.toLowerCase());
  const tagValue = key === undefined ? undefined : value[key];
  for (const ref of (union.oneOf as JsonSchema[]) ?? []) {
    const candidate = resolve(root, ref);
    const allowed = ((candidate?.properties as Record<string, JsonSchema> | undefined)?.[tag] as { const?: string } | undefined)?.const;
    if (allowed === tagValue) return candidate;
  }
  return undefined;
}

function properties(root: JsonSchema, schema: JsonSchema): Record<string, JsonSchema> {
  const own = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  const parts = ((schema.allOf as JsonSchema[] | undefined) ?? []).map((p) => properties(root, resolve(root, p) ?? {}));
  return Object.assign({}, ...parts, own);
}

/** `value` with its property names spelled as `schema` declares them (recursively); other names kept. */
export function canonicalNames(root: JsonSchema, schema: JsonSchema | undefined, value: unknown): unknown {
  let node = resolve(root, schema);
  if (!node || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => canonicalNames(root, node!.items as JsonSchema | undefined, v));
  const object = value as Record<string, unknown>;
  if (node.discriminator && Array.isArray(node.oneOf)) node = member(root, node, object) ?? node;
  const declared = properties(root, node);
  const byLower = new Map(Object.keys(declared).map((name) => [name.toLowerCase(), name]));
  const extra = typeof node.additionalProperties === "object" ? (node.additionalProperties as JsonSchema) : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(object)) {
    const name = key in declared ? key : byLower.get(key.toLowerCase()) ?? key;
    // The definitions' spelling wins when a body carries both.
    if (name !== key && name in object) continue;
    out[name] = canonicalNames(root, declared[name] ?? extra, v);
  }
  return out;
}
