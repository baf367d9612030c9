import type { ItemPathBasedRestoreCriteria } from "../api/types";
import { FIRST_VERSION_WITH, supportsContainerRename, supportsItemPathCriteria, type ApiVersion } from "../api/versions";
import { fieldError, type FieldPath, type FieldProblem } from "../errors/field";
import { duplicateEntries, isObj, strings } from "../language/common-rules";
import * as P from "../language/patterns";
import { patterned, type Schema } from "../language/schema-parts";

/**
 * The containers of a vaulted-tier item restore (vaulted Azure Blob, Data Lake Storage): each a name,
 * or `{ name, prefixes?, renameTo? }`. As `az dataprotection backup-instance restore
 * initialize-for-item-recovery` builds them (CLI-helpers@8722): `--container-list c` gives
 * `ItemPathBasedRestoreCriteria { itemPath: c, isPathRelativeToBackupItem: true }`;
 * `--vaulted-blob-prefix-pattern` entries `{ name, prefixmatch, renameto }` add `subItemPathPrefix`
 * and `renameTo`, and need one of the two. An entry written as a mapping carries `subItemPathPrefix`
 * even when it lists no prefixes (`[]`), as the CLI sent it in the recorded item-level Data Lake
 * restore (test/fixtures/recordings/backup_instance_ilr_restore_adls_recovery_point.json #4, `con4`).
 */
export interface ContainerOptions {
  name: string;
  prefixes?: string[];
  renameTo?: string;
}

export type ContainerEntry = string | ContainerOptions;

const containerName = (description: string): Schema =>
  patterned(description, P.CONTAINER_NAME, "is not a valid container name", "use 3-63 lowercase letters, digits and single hyphens");

export function containerEntriesSchema(description: string): Schema {
  return {
    type: "array",
    description,
    minItems: 1,
    items: {
      description: "A container name, or { name, prefixes?, renameTo? }.",
      oneOf: [
        containerName("Container name."),
        {
          type: "object",
          additionalProperties: false,
          required: ["name"],
          properties: {
            name: containerName("The backed-up container."),
            prefixes: {
              type: "array",
              description: "Restore only the blobs whose names start with one of these prefixes.",
              minItems: 1,
              items: patterned("Blob name prefix inside the container.", P.BLOB_PREFIX, "must be 1-1024 characters, no control characters", "write the start of the blob names, e.g. logs/2024/"),
            },
            renameTo: containerName(`Restore the container under this name (api-version ${FIRST_VERSION_WITH.containerRename} or later).`),
          },
        },
      ],
    },
  };
}

export const nameOf = (entry: ContainerEntry): string => (typeof entry === "string" ? entry : entry.name);

/** The entries' names with their indexes; entries of the wrong shape (the schema's to report) are left out. */
function named(entries: unknown): Array<{ name: string; index: number; options?: ContainerOptions }> {
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((e, index) => {
    if (typeof e === "string") return [{ name: e, index }];
    if (isObj(e) && typeof e.name === "string") return [{ name: e.name, index, options: e as unknown as ContainerOptions }];
    return [];
  });
}

/** Indexes of the entries written as mappings (with prefixes or renameTo). */
export function optionEntries(entries: unknown): number[] {
  return named(entries).filter((e) => e.options).map((e) => e.index);
}

/**
 * Entries the CLI refuses (a mapping with neither prefixes nor renameTo), containers listed twice
 * (a warning), prefixes listed twice (a warning), and two containers restored under one name.
 */
export function containerEntryRules(entries: unknown, path: FieldPath): FieldProblem[] {
  const list = named(entries);
  const out: FieldProblem[] = [];
  const seen = new Map<string, number>();
  list.forEach(({ name, index }) => {
    if (seen.has(name)) out.push({ ...fieldError([...path, index], "SpecDuplicateItem", `container '${name}' is listed twice (also at [${seen.get(name)}])`, `remove the second '${name}'`), severity: "warning" });
    else seen.set(name, index);
  });
  const restoredAs = new Map<string, string>();
  for (const { name, index, options } of list) {
    if (options) {
      if (options.prefixes === undefined && options.renameTo === undefined) {
        out.push(fieldError([...path, index], "SpecContainerEntryEmpty", `the entry for '${name}' gives only a name`, `write the name alone (- ${name}), or add prefixes or renameTo`, "key"));
      }
      out.push(...duplicateEntries([...path, index, "prefixes"], strings(options.prefixes), "prefix"));
    }
    const as = typeof options?.renameTo === "string" ? options.renameTo : name;
    const other = restoredAs.get(as);
    if (other !== undefined && other !== name) {
      out.push(
        fieldError(options?.renameTo !== undefined ? [...path, index, "renameTo"] : [...path, index], "SpecRenameCollision", `containers '${other}' and '${name}' would both be restored as '${as}'`, "give each container a name of its own (renameTo)"),
      );
    } else restoredAs.set(as, name);
  }
  return out;
}

/** Criteria for the entries, in their order, then for the containers only `prefixes` (`container/prefix`) name. */
export function itemPathCriteria(entries: readonly ContainerEntry[], prefixes: readonly string[] = []): ItemPathBasedRestoreCriteria[] {
  const byName = new Map<string, { options?: ContainerOptions; sub: string[] }>();
  const slot = (name: string) => byName.get(name) ?? byName.set(name, { sub: [] }).get(name)!;
  for (const entry of entries) {
    const s = slot(nameOf(entry));
    if (typeof entry !== "string") {
      s.options ??= entry;
      s.sub.push(...(entry.prefixes ?? []));
    }
  }
  for (const p of prefixes) slot(p.slice(0, p.indexOf("/"))).sub.push(p.slice(p.indexOf("/") + 1));
  return [...byName].map(([itemPath, { options, sub }]) => ({
    objectType: "ItemPathBasedRestoreCriteria",
    itemPath,
    isPathRelativeToBackupItem: true,
    ...(options || sub.length > 0 ? { subItemPathPrefix: [...new Set(sub)] } : {}),
    ...(options?.renameTo !== undefined ? { renameTo: options.renameTo } : {}),
  }));
}

/**
 * The api-version item criteria need, if this run's is older (renameTo first: it needs the newer one).
 * `path` is where the entries are, `itemsPath` where the item-level restore is asked for.
 */
export function itemPathVersionProblem(entries: readonly ContainerEntry[], path: FieldPath, itemsPath: FieldPath, what: string, version: ApiVersion): FieldProblem | undefined {
  const renamed = entries.findIndex((e) => typeof e !== "string" && e.renameTo !== undefined);
  if (renamed >= 0 && !supportsContainerRename(version)) {
    const since = FIRST_VERSION_WITH.containerRename;
    return fieldError([...path, renamed, "renameTo"], "PlanApiVersionTooOld", `restoring a container under another name needs api-version ${since} or later (this run uses ${version})`, `set the api-version to ${since} or later, or remove renameTo`);
  }
  if (!supportsItemPathCriteria(version)) {
    const since = FIRST_VERSION_WITH.itemPathCriteria;
    return fieldError(itemsPath, "PlanApiVersionTooOld", `item-level ${what} restores need api-version ${since} or later (this run uses ${version})`, `set the api-version to ${since} or later, or restore the whole account`);
  }
  return undefined;
}
