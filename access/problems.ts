import type { Problem } from "../errors/problem";
import type { AccessNeed } from "../kinds/access";
import type { AccessReport, Finding, Principal } from "./assess";

/** The command that grants a need by hand, for a remedy. */
export function roleAssignmentCommand(need: AccessNeed, principal: Principal): string {
  return `az role assignment create --assignee-object-id ${principal.principalId} --assignee-principal-type ServicePrincipal --role ${need.role.id} --scope ${need.scope}`;
}

const missingText = (need: AccessNeed, principal: Principal): string =>
  `${principal.name} (principal ${principal.principalId}) holds no role granting ${need.role.name} (${need.role.id}) on ${need.scopeName} ${need.scope}; the restore would fail (${need.source})`;

/**
 * What the run says about a report: each missing role an error (unless `toBeGranted` says the run grants
 * it), each need it could not decide a warning. The scopes a kind cannot name stay in the report (and
 * the record), not in every preview. Pure.
 */
export function accessProblems(report: AccessReport, file: string, toBeGranted: (finding: Finding) => boolean = () => false): Problem[] {
  const out: Problem[] = [];
  for (const finding of report.findings) {
    if (finding.state === "missing" && !toBeGranted(finding)) {
      out.push({
        code: "AccessMissing",
        severity: "error",
        message: missingText(finding.need, finding.principal),
        remedy: `set spec.access: grant to grant it for this restore, or run: ${roleAssignmentCommand(finding.need, finding.principal)}`,
        field: "spec.access",
        file,
      });
    } else if (finding.state === "noIdentity") {
      out.push({
        code: "AccessNoIdentity",
        severity: "error",
        message: `${finding.reason}: the restore would run under an identity the vault does not have, and fail`,
        remedy: finding.need.identity.of === "vault" && finding.need.identity.userAssigned
          ? "set spec.identity to one of the vault's user-assigned identities (or system), or attach this identity to the vault"
          : "set spec.identity to one of the vault's user-assigned identities, or enable the vault's system-assigned identity",
        field: finding.need.identity.of === "vault" && finding.need.identity.userAssigned ? "spec.identity" : "spec.access",
        file,
      });
    } else if (finding.state === "unknown") {
      out.push({
        code: "AccessNotChecked",
        severity: "warning",
        message: `could not check ${finding.need.role.name} on ${finding.need.scopeName} ${finding.need.scope}: ${finding.reason}`,
        remedy: "let the identity that runs the restores read role assignments (Reader on the scope), or make sure the role is assigned",
        field: "spec.access",
        file,
      });
    }
  }
  return out;
}
