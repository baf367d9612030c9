import { DRILL_KIND, drillSpecSchema } from "../drills/spec";
import { KINDS, KIND_NAMES } from "../kinds";
import { SPEC_API_VERSION } from "../language/model";
import * as P from "../language/patterns";
import { patterned, str, type Schema } from "../language/schema-parts";

/**
 * The source of `schemas/restore.schema.json` (written by `npm run schemas`, checked by a test to be
 * current): the envelope, and each kind's `spec:` from its module. Relationships between fields are the
 * kinds' rules, which word them better than a schema can.
 */
function kindRule(kind: string, spec: Schema): Schema {
  return { if: { properties: { kind: { const: kind } }, required: ["kind"] }, then: { properties: { spec } } };
}

export function restoreSchema(): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "azure-restores restore spec",
    description: "One restore of Azure Backup data. See README.md.",
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
      apiVersion: { const: SPEC_API_VERSION, description: "Spec format version.", "x-fix": `write apiVersion: ${SPEC_API_VERSION}` },
      kind: { type: "string", enum: [...KIND_NAMES, DRILL_KIND], description: "What is restored (or RestoreDrill: restores on a schedule that prove backups come back).", "x-fix": `use one of ${[...KIND_NAMES, DRILL_KIND].join(", ")}` },
      metadata: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: patterned("Unique name of this restore (becomes the Pulumi resource name).", P.SPEC_NAME, "must be 1-63 lowercase letters, digits or hyphens", "rename it, e.g. msblob-all-20210708"),
          description: str("What this restore is for."),
          ticket: str("Change or incident ticket."),
          requestedBy: str("Who asked for it."),
          labels: { type: "object", additionalProperties: { type: "string" }, description: "Free-form labels (string values)." },
        },
      },
      spec: { type: "object" },
    },
    allOf: [...KINDS.map((k) => kindRule(k.name, k.specSchema())), kindRule(DRILL_KIND, drillSpecSchema())],
  };
}
