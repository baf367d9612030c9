import { GUID, RESOURCE_GROUP } from "../language/patterns";

/** The JSON Schema of `restore-policy.yaml` (schemas/restore-policy.schema.json). */
export function policySchema(): Record<string, unknown> {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "azure-restores restore policy",
    description: "Guardrails for the restore specs of this folder. See README.md.",
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "rules"],
    properties: {
      apiVersion: { const: "azure-restores/v1", "x-fix": "write apiVersion: azure-restores/v1" },
      kind: { const: "RestorePolicy", "x-fix": "write kind: RestorePolicy" },
      rules: {
        type: "object",
        additionalProperties: false,
        properties: {
          allowedSubscriptions: {
            type: "array",
            description: "Subscriptions restores may write to.",
            items: { type: "string", pattern: `^${GUID}$`, "x-message": "must be a subscription GUID", "x-fix": "copy the GUID from `az account list`" },
          },
          allowedResourceGroups: {
            type: "array",
            description: "Resource groups restores may write to: a name, or <subscriptionId>/<resourceGroup>.",
            items: { type: "string", pattern: `^(?:${GUID}/)?${RESOURCE_GROUP}$`, "x-message": "must be a resource group name or <subscriptionId>/<resourceGroup>", "x-fix": "e.g. targetrg" },
          },
          allowOriginalLocation: { type: "boolean", description: "Whether restores may overwrite the data that was backed up (default true)." },
          requireTicket: { type: "boolean", description: "Every spec must carry metadata.ticket." },
          maxRestoresPerRun: { type: "integer", minimum: 1, description: "At most this many new restores (or reruns) in one run." },
          grantAccess: {
            type: "string",
            enum: ["allowed", "forbidden", "required"],
            description: "Whether specs may grant the roles their restore needs (spec.access: grant or keep): allowed (default), forbidden, or required (every spec sets access: grant).",
            "x-fix": "use allowed, forbidden or required",
          },
        },
      },
    },
  };
}
