import { loadDefinitions } from "../api/definitions";
import type { ApiVersion } from "../api/versions";

/**
 * Whether definition `definition` of `version` declares `property` (directly or through `allOf`), so
 * responses carry a field only in the api-versions that define it, as the service shapes them.
 */
const cache = new Map<string, boolean>();

export function definesProperty(version: ApiVersion, definition: string, property: string): boolean {
  const key = `${version}|${definition}|${property}`;
  let found = cache.get(key);
  if (found === undefined) {
    const defs = loadDefinitions(version).definitions;
    const visit = (name: string, seen: Set<string>): boolean => {
      const schema = defs[name];
      if (!schema || seen.has(name)) return false;
      seen.add(name);
      if (schema.properties && property in schema.properties) return true;
      return (schema.allOf ?? []).some((part) => part.$ref?.startsWith("#/definitions/") === true && visit(part.$ref.slice("#/definitions/".length), seen));
    };
    found = visit(definition, new Set());
    cache.set(key, found);
  }
  return found;
}
