import { fieldError, type FieldProblem } from "../errors/field";
import type { DrillTarget } from "../kinds/kind";
import { isObj, pastTime, type Obj, type RuleContext } from "../language/common-rules";
import type { AccessMode, BackupInstanceRef, SPEC_API_VERSION, SpecMetadata, WaitOptions } from "../language/model";
import * as P from "../language/patterns";
import { commonSpecFields, patterned, str, utcTime, type Schema } from "../language/schema-parts";
import { durationMs } from "../language/time";

/**
 * `kind: RestoreDrill`: restores run on a schedule to prove backups come back. Time is cut into
 * windows of `every` from `startingFrom`; the first `pulumi up` of a window samples `sample` backup
 * instances of `select` (at random, the window the seed), restores each from its latest recovery point
 * or one at random within `recoveryPoint.randomWithin` into `target`, verifies what came back, and
 * records the evidence (drills/evidence.ts). One long-lived resource per drill: a window's run is an
 * update of it.
 */
export const DRILL_KIND = "RestoreDrill";

export interface DrillSelect {
  /** Backup instances by ARM ID or parts. */
  backupInstances?: BackupInstanceRef[];
  /** Or every backup instance of a vault, of a datasource type, with these tags. */
  vault?: { subscriptionId?: string; resourceGroup: string; name: string };
  datasourceType?: string;
  tags?: Record<string, string>;
}

export type { DrillTarget };

export interface DrillVerify {
  /** The restored resource exists (ARM GET). */
  exists?: boolean;
  /** Files of a restore as files: at least this many, of at least this many bytes in all. */
  files?: { minCount?: number; minBytes?: number };
  /** A query against a restored PostgreSQL database returns rows. */
  sql?: { query: string; minRows?: number };
  /** A script given the restored resource's IDs in its environment; exit status 0 passes. */
  command?: string[];
}

export interface DrillSpecBody {
  every: string;
  startingFrom?: string;
  select: DrillSelect;
  sample?: number;
  recoveryPoint?: "latest" | { randomWithin: string };
  target: DrillTarget;
  verify?: DrillVerify;
  objectives?: { rto?: string; rpo?: string };
  /** Runs kept in the outputs (default 10). */
  history?: number;
  access?: AccessMode;
  wait?: WaitOptions;
}

export interface DrillSpec {
  apiVersion: typeof SPEC_API_VERSION;
  kind: typeof DRILL_KIND;
  metadata: SpecMetadata;
  spec: DrillSpecBody;
}

const duration = (description: string) => patterned(description, P.ISO_DURATION, "must be an ISO 8601 duration", "write it like PT4H, P1D or P30D");
const armId = (description: string) => patterned(description, "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/.+", "is not an ARM resource ID", "copy the ID from the portal or `az resource show`");

export function drillSpecSchema(): Schema {
  const obj = (properties: Record<string, Schema>, required: string[] = [], description?: string): Schema => ({ type: "object", additionalProperties: false, required, properties, ...(description ? { description } : {}) });
  return obj(
    {
      every: duration("How often a drill runs: the length of a window (e.g. P7D, P30D)."),
      startingFrom: utcTime("Start of the first window (default 2026-01-01T00:00:00Z)."),
      select: obj(
        {
          backupInstances: { type: "array", minItems: 1, items: commonSpecFields.backupInstance, description: "Backup instances to drill." },
          vault: obj({ subscriptionId: patterned("Subscription of the vault.", `^${P.GUID}$`, "must be a subscription GUID", "copy it from `az account show --query id`"), resourceGroup: str("Resource group of the vault."), name: str("The vault.") }, ["resourceGroup", "name"]),
          datasourceType: str("Only instances of this datasource type (e.g. Microsoft.DBforPostgreSQL/servers/databases)."),
          tags: { type: "object", additionalProperties: { type: "string" }, description: "Only instances with these tags." },
        },
        [],
        "Which backup instances a drill samples from: a list, or a vault's (filtered by datasource type and tags).",
      ),
      sample: { type: "integer", minimum: 1, maximum: 100, description: "How many instances each window restores (default 1), chosen at random with the window as the seed." },
      recoveryPoint: {
        description: "`latest`, or `{ randomWithin: P30D }`: a recovery point at random among those of that age.",
        oneOf: [{ const: "latest" }, obj({ randomWithin: duration("How far back a random recovery point may be.") }, ["randomWithin"])],
      },
      target: obj(
        {
          resourceGroup: obj({ subscriptionId: patterned("Subscription of the scratch groups.", `^${P.GUID}$`, "must be a subscription GUID", "copy it from `az account show --query id`"), location: patterned("Region of the scratch groups.", P.AZURE_REGION, "is not an Azure region name", "e.g. westus"), prefix: str("Name prefix of the scratch groups (default drill-<name>-).") }, ["location"]),
          container: obj({ url: patterned("URL of the scratch container.", P.BLOB_CONTAINER_URL, "is not a blob container URL", "write https://<account>.blob.core.windows.net/<container>"), id: patterned("Its ARM ID.", P.BLOB_CONTAINER_ID, "is not the ARM ID of a blob container", "write /subscriptions/…/storageAccounts/<a>/blobServices/default/containers/<c>") }, ["url"]),
          server: obj({ id: armId("ARM ID of the PostgreSQL server that receives the drills' databases."), credentialsSecretUri: patterned("Key Vault secret with its connection string.", P.KEY_VAULT_SECRET_URI, "is not a Key Vault secret URI", "write https://<vault>.vault.azure.net/secrets/<name>") }, ["id", "credentialsSecretUri"]),
          storageAccount: armId("ARM ID of the storage account that receives vaulted blob containers."),
        },
        [],
        "Where the drills restore to: exactly one kind of target.",
      ),
      verify: obj({
        exists: { type: "boolean", description: "Check that the restored resource exists." },
        files: obj({ minCount: { type: "integer", minimum: 1 }, minBytes: { type: "integer", minimum: 1 } }, [], "Files of a restore as files."),
        sql: obj({ query: str("A query run against the restored database."), minRows: { type: "integer", minimum: 1 } }, ["query"], "A query against a restored PostgreSQL database."),
        command: { type: "array", minItems: 1, items: { type: "string" }, description: "A command (argv) given the restored resource's IDs in its environment." },
      }),
      objectives: obj({ rto: duration("Recovery time objective: validate + job + verify."), rpo: duration("Recovery point objective: age of the recovery point restored.") }),
      history: { type: "integer", minimum: 1, maximum: 100, description: "Runs kept in the resource's outputs (default 10)." },
      access: commonSpecFields.access,
      wait: commonSpecFields.wait,
    },
    ["every", "select", "target"],
  );
}

const TARGETS = ["resourceGroup", "container", "server", "storageAccount"] as const;

/** Relationships the schema cannot say. Pure. */
export function drillRules(spec: Obj, context: RuleContext): FieldProblem[] {
  const out: FieldProblem[] = [];
  const every = typeof spec.every === "string" ? durationMs(spec.every) : undefined;
  if (every !== undefined && every < 3_600_000) out.push(fieldError(["spec", "every"], "DrillWindowTooShort", "a window shorter than an hour would start a drill at almost every run", "use PT1H or longer; P7D or P30D is usual"));
  out.push(...pastTime(["spec", "startingFrom"], spec.startingFrom, { ...context, now: new Date(8.64e15) }));
  if (isObj(spec.select)) {
    const byList = Array.isArray(spec.select.backupInstances);
    const byVault = isObj(spec.select.vault);
    if (byList === byVault) out.push(fieldError(["spec", "select"], "DrillSelectInvalid", byList ? "select names both a list of instances and a vault" : "select names no backup instances", "give select.backupInstances, or select.vault (with datasourceType and tags to narrow it)"));
    if (byList && (spec.select.datasourceType !== undefined || spec.select.tags !== undefined)) out.push(fieldError(["spec", "select"], "DrillSelectInvalid", "datasourceType and tags narrow a vault's instances; a list names them", "remove datasourceType/tags, or select by vault"));
    const listed = Array.isArray(spec.select.backupInstances) ? spec.select.backupInstances.length : undefined;
    if (listed !== undefined && typeof spec.sample === "number" && spec.sample > listed) out.push(fieldError(["spec", "sample"], "DrillSampleTooLarge", `sample ${spec.sample} is more than the ${listed} instances listed`, `sample at most ${listed}`));
  }
  if (isObj(spec.target)) {
    const given = TARGETS.filter((t) => (spec.target as Obj)[t] !== undefined);
    if (given.length !== 1) out.push(fieldError(["spec", "target"], "DrillTargetInvalid", given.length === 0 ? "the drill names no target" : `the drill names ${given.length} targets (${given.join(", ")})`, "give exactly one of target.resourceGroup, target.container, target.server, target.storageAccount"));
  }
  if ((spec.access === "grant" || spec.access === "keep") && isObj(spec.target) && spec.target.resourceGroup === undefined) {
    out.push(fieldError(["spec", "access"], "DrillAccessGrantUnsupported", "a drill grants roles only on its scratch resource groups (target.resourceGroup), which go with the group", "use access: check and grant the vault's identity its roles on the named target once (README, Permissions), or restore into target.resourceGroup"));
  }
  if (isObj(spec.verify) && isObj(spec.verify.sql) && isObj(spec.target) && spec.target.server === undefined) {
    out.push(fieldError(["spec", "verify", "sql"], "DrillVerifyMismatch", "a SQL check reads a restored database: the drill must restore into target.server", "set target.server, or remove verify.sql"));
  }
  if (isObj(spec.verify) && isObj(spec.verify.files) && isObj(spec.target) && spec.target.container === undefined) {
    out.push(fieldError(["spec", "verify", "files"], "DrillVerifyMismatch", "a files check reads a restore as files: the drill must restore into target.container", "set target.container, or remove verify.files"));
  }
  return out;
}
