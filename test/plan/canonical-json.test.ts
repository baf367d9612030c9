import { describe, expect, it } from "vitest";
import { createHash } from "crypto";
import { canonicalJson, requestHash } from "../../plan";
import type { AzureBackupRestoreRequest } from "../../api/types";

/** The first form of canonicalJson: the bytes every request hash was made of. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const STRINGS = ["", "plain", "/subscriptions/x/resourceGroups/rg", "a b", 'q"uote', "back\\slash", "tab\t", "nl\n", "\u0000", "\u001f", "\u007f", "é", "😀", "\ud800", "\udc00x", "<>&'", "a:b@c", "$x.y-z_1"];

describe("canonicalJson", () => {
  it("writes the bytes of its first form: keys sorted, every string escaped as JSON escapes it", () => {
    const value = {
      z: STRINGS,
      a: Object.fromEntries(STRINGS.map((s, i) => [s, i % 2 ? s : { [s]: [s, null, true, 1.5, -0] }])),
      m: { u: undefined, n: null, list: [1, "two", { b: 1, a: 2 }, []], nested: { "": {}, B: "b", a: "a" } },
    };
    expect(canonicalJson(value)).toBe(reference(value));
    for (const s of STRINGS) expect(canonicalJson(s)).toBe(JSON.stringify(s));
  });

  it("hashes a request as sha256 of that text", () => {
    const request = { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", recoveryPointId: "rp1", restoreTargetInfo: { objectType: "RestoreTargetInfo", note: 'q"' } } as unknown as AzureBackupRestoreRequest;
    const expected = createHash("sha256").update(reference({ apiVersion: "2024-04-01", backupInstanceId: "/subscriptions/abc/bi", request })).digest("hex");
    expect(requestHash("2024-04-01", "/Subscriptions/ABC/BI", request)).toBe(expected);
  });
});
