import { ajvPath } from "../errors/ajv-path";
import { fieldPathText, positioned, type FieldProblem } from "../errors/field";
import type { Problem } from "../errors/problem";
import { kindOf, type RestoreSpec } from "../kinds";
import type { ParsedSpecFile } from "../language/yaml";
import { checkValidators } from "./validators";

export { policySchema } from "./policy-schema";

/**
 * Guardrails a team sets beside its specs (`restore-policy.yaml`), enforced by `validate`, by the
 * program and by `pulumi preview` (the provider's check). A violation names its rule.
 */
export interface RestorePolicy {
  apiVersion: "azure-restores/v1";
  kind: "RestorePolicy";
  rules: PolicyRules;
}

export interface PolicyRules {
  /** Subscriptions restores may write to. */
  allowedSubscriptions?: string[];
  /** Resource groups restores may write to (names, or `<subscriptionId>/<resourceGroup>`). */
  allowedResourceGroups?: string[];
  /** Whether restores may overwrite the data that was backed up (blob restores to the original account). Default true. */
  allowOriginalLocation?: boolean;
  /** Every spec must carry metadata.ticket. */
  requireTicket?: boolean;
  /** At most this many new restores (or reruns) in one run. */
  maxRestoresPerRun?: number;
  /**
   * Whether specs may have the run grant the roles their restore needs (`spec.access: grant | keep`):
   * `allowed` (default), `forbidden` (roles are managed elsewhere; specs only check), `required` (every
   * spec grants, so no standing role assignment is left behind: `keep` is refused too).
   */
  grantAccess?: "allowed" | "forbidden" | "required";
}

export type PolicyRuleName = keyof PolicyRules;

/** Shape problems of a parsed policy file, positioned. Pure. */
export function checkPolicyFile(parsed: ParsedSpecFile): { policy?: RestorePolicy; problems: Problem[] } {
  const compiled = checkValidators().policy;
  if (compiled(parsed.value)) return { policy: parsed.value as RestorePolicy, problems: [] };
  const problems = (compiled.errors ?? []).map((e): Problem => {
    const path = ajvPath(e.instancePath);
    const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
    const extra = e.keyword === "additionalProperties" ? String((e.params as { additionalProperty: string }).additionalProperty) : undefined;
    return positioned(parsed, {
      path: extra ? [...path, extra] : path,
      code: "PolicyInvalid",
      severity: "error",
      message: extra ? `unknown policy field '${extra}'` : e.keyword === "pattern" ? String(parent["x-message"]) : (e.message ?? e.keyword),
      remedy: (parent["x-fix"] as string | undefined) ?? "see schemas/restore-policy.schema.json",
      ...(extra ? { at: "key" as const } : {}),
    });
  });
  return { problems };
}

function violation(rule: PolicyRuleName, path: FieldProblem["path"], message: string, remedy: string): FieldProblem {
  return { path, code: "PolicyViolation", severity: "error", message: `policy rule ${rule}: ${message}`, remedy };
}

const ARM_SCOPE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i;

/** Subscription and resource group rules for one ARM ID a restore writes to. */
export function targetViolations(rules: PolicyRules, targetId: string, path: FieldProblem["path"]): FieldProblem[] {
  const m = ARM_SCOPE.exec(targetId);
  if (!m) return [];
  const [, subscription, resourceGroup] = m;
  const out: FieldProblem[] = [];
  if (rules.allowedSubscriptions && !rules.allowedSubscriptions.some((s) => s.toLowerCase() === subscription.toLowerCase())) {
    out.push(violation("allowedSubscriptions", path, `the restore writes to subscription ${subscription}, which the policy does not allow`, `restore into one of ${rules.allowedSubscriptions.join(", ")}, or change restore-policy.yaml in a reviewed pull request`));
  }
  if (rules.allowedResourceGroups) {
    const allowed = rules.allowedResourceGroups.some((entry) => {
      const [sub, rg] = entry.includes("/") ? entry.split("/") : [undefined, entry];
      return rg.toLowerCase() === resourceGroup.toLowerCase() && (!sub || sub.toLowerCase() === subscription.toLowerCase());
    });
    if (!allowed) {
      out.push(violation("allowedResourceGroups", path, `the restore writes to resource group ${resourceGroup}, which the policy does not allow`, `restore into one of ${rules.allowedResourceGroups.join(", ")}`));
    }
  }
  return out;
}

/**
 * Rules decided by the spec alone: a ticket, the targets the spec names (subscription and resource
 * group), and a restore that overwrites the backed-up data. Pure.
 */
export function specPolicyViolations(spec: RestoreSpec, rules: PolicyRules): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (rules.requireTicket && !spec.metadata.ticket?.trim()) {
    out.push(violation("requireTicket", ["metadata"], "every restore must name its change or incident ticket", "add metadata.ticket"));
  }
  const access = spec.spec.access ?? "check";
  if (rules.grantAccess === "forbidden" && access !== "check") {
    out.push(violation("grantAccess", ["spec", "access"], `this spec grants the roles its restore needs (access: ${access}), which the policy does not allow`, "remove spec.access and have the roles assigned through your usual access process"));
  }
  if (rules.grantAccess === "required" && access !== "grant") {
    out.push(violation("grantAccess", ["spec", "access"], `every restore must grant its roles for itself and revoke them after (access: grant); this one has access: ${access}`, "set spec.access: grant"));
  }
  const { targets, original } = kindOf(spec).policyTargets(spec);
  for (const target of targets) out.push(...targetViolations(rules, target.id, target.path));
  if (original && rules.allowOriginalLocation === false) {
    out.push(violation("allowOriginalLocation", ["spec"], `this restore overwrites ${original.what}, which the policy does not allow`, original.instead));
  }
  return out;
}
