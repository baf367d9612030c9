import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../errors/problem";
import { checkParsedSpecs, checkSpecFiles, parseSpecText } from "../../checks";
import { parseCareful } from "../../language/yaml";
import { renderSchemaFile, schemaFiles } from "../../checks/schema-files";

const root = path.join(__dirname, "..", "..");
const NOW = new Date("2026-11-21T00:00:00Z");
const BI = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d";
const PG_BI = BI.replace("msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d", "testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e");
const DB = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver/databases/emprestored21";

/** Problems of one spec text, as `line:col field code`, the way a user reads them. */
function check(text: string, file = "restores/x.yaml"): Problem[] {
  const { parsed, problems } = parseSpecText(file, text);
  if (!parsed) return problems;
  return checkParsedSpecs([parsed], { now: NOW }).problems.filter((p) => p.code !== "SpecNameMismatch");
}

function codes(problems: Problem[]): string[] {
  return problems.map((p) => `${p.line}:${p.column} ${p.field ?? ""} ${p.code}`);
}

const blob = (spec: string, name = "x") => `apiVersion: azure-restores/v1
kind: BlobRestore
metadata:
  name: ${name}
spec:
  backupInstance: ${BI}
${spec}`;

const pg = (spec: string) => `apiVersion: azure-restores/v1
kind: PostgreSQLRestore
metadata:
  name: x
spec:
  backupInstance: ${PG_BI}
${spec}`;

describe("the shipped examples", () => {
  it("pass every check, with no warnings", () => {
    const result = checkSpecFiles([path.join(root, "restores")]);
    expect(result.problems).toEqual([]);
    expect(result.specs.map((s) => s.spec.metadata.name).sort()).toEqual([
      "aks-shop-into-cluster2",
      "appdisk01-as-new-disk",
      "cosmos-src-into-tgt",
      "datalake-raw-containers",
      "empdb11-as-database",
      "empdb11-as-files",
      "empdb11-from-archive",
      "esan-srcvol1-as-restoredvol1",
      "msblob-all-20210708",
      "msblob-ranges-20210708",
      "mysqlflex-shop-as-files",
      "pgflex-orders-as-files",
    ]);
  });

  it("carry the yaml-language-server schema comment, so editors complete and check them", () => {
    for (const file of fs.readdirSync(path.join(root, "restores")).filter((f) => f.endsWith(".yaml"))) {
      expect(fs.readFileSync(path.join(root, "restores", file), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../schemas/restore.schema.json");
    }
  });
});

describe("the two YAML readers", () => {
  it("read every example to the same value (js-yaml fast path, yaml with positions)", () => {
    for (const file of fs.readdirSync(path.join(root, "restores"))) {
      const text = fs.readFileSync(path.join(root, "restores", file), "utf8");
      const fast = parseSpecText(file, text).parsed!;
      const careful = parseCareful(file, text).parsed!;
      expect(fast.value, file).toEqual(careful.value);
      expect(fast.locate(["spec", "backupInstance"])).toEqual(careful.locate(["spec", "backupInstance"]));
    }
  });

  it("agree on YAML 1.2 core scalars", () => {
    const text = "a: 012\nb: 0x1F\nc: 1e3\nd: .5\ne: yes\nf: ~\ng: 2021-07-08\nh: true\ni: 'x'\nj: -.inf\n";
    expect(parseSpecText("x.yaml", text).parsed!.value).toEqual(parseCareful("x.yaml", text).parsed!.value);
  });
});

describe("schemas/", () => {
  it("holds exactly what spec/schema-source.ts and the definitions generate (run `npm run schemas`)", () => {
    for (const [name, content] of Object.entries(schemaFiles())) {
      expect(fs.readFileSync(path.join(root, "schemas", name), "utf8"), name).toBe(renderSchemaFile(content));
    }
  });
});

describe("schema errors are positioned and carry a fix", () => {
  it("reports a bad ARM ID at the value, with the expected form as the fix", () => {
    const problems = check(blob("  pointInTime: 2021-07-08T00:00:00Z").replace(BI, BI.replace("Microsoft.DataProtection", "Microsoft.Compute")));
    expect(codes(problems)).toEqual(["6:19 spec.backupInstance SpecInvalidValue"]);
    expect(problems[0].message).toContain("is not the ARM ID of a backup instance");
    expect(problems[0].remedy).toContain("/providers/Microsoft.DataProtection/backupVaults/<vault>/backupInstances/<name>");
  });

  it("refuses ARM IDs with extra segments", () => {
    const problems = check(blob("  pointInTime: 2021-07-08T00:00:00Z").replace(BI, `${BI}/recoveryPoints/x`));
    expect(problems.map((p) => p.code)).toEqual(["SpecInvalidValue"]);
  });

  it("accepts ARM IDs whose fixed segments use other casing, as ARM does", () => {
    const lower = BI.replace("resourceGroups", "resourcegroups").replace("Microsoft.DataProtection", "microsoft.dataprotection");
    expect(check(blob("  pointInTime: 2021-07-08T00:00:00Z").replace(BI, lower))).toEqual([]);
  });

  it("names an unknown field at its key and suggests the near one", () => {
    const problems = check(blob("  pointInTime: 2021-07-08T00:00:00Z\n  itmes: {containers: [a1b]}"));
    expect(codes(problems)).toEqual(["8:3 spec.itmes SpecUnknownField"]);
    expect(problems[0].remedy).toBe("did you mean 'items'?");
  });

  it("says where a field of another kind belongs", () => {
    const problems = check(pg(`  recoveryPoint: latest\n  pointInTime: 2021-07-08T00:00:00Z\n  target: {files: {containerUrl: "https://acc.blob.core.windows.net/cont", filePrefix: p}}`));
    expect(codes(problems)).toEqual(["8:3 spec.pointInTime SpecUnknownField"]);
    expect(problems[0].message).toContain("PostgreSQL restores from a recovery point");
  });

  it("tells to quote a number where a string is expected", () => {
    const problems = check(blob("  pointInTime: 2021-07-08T00:00:00Z\n  rerun: 2"));
    expect(codes(problems)).toEqual(["8:10 spec.rerun SpecWrongType"]);
    expect(problems[0].remedy).toBe('quote it: "2"');
  });

  it("reports a missing field at its parent", () => {
    const problems = check("apiVersion: azure-restores/v1\nkind: BlobRestore\nmetadata:\n  name: x\n");
    expect(codes(problems)).toEqual(["1:1 (file) SpecMissingField"]);
    expect(problems[0].message).toBe("missing required field 'spec'");
  });

  it("suggests the right casing of an enum value", () => {
    const problems = check(pg(`  recoveryPoint: latest\n  sourceDataStore: vaultstore\n  target: {files: {containerUrl: "https://acc.blob.core.windows.net/cont", filePrefix: p}}`));
    expect(problems[0].remedy).toContain("did you mean 'VaultStore'?");
  });

  it("rejects times that are not UTC", () => {
    const problems = check(blob("  pointInTime: 2021-07-08T00:00:00+02:00"));
    expect(codes(problems)).toEqual(["7:16 spec.pointInTime SpecInvalidValue"]);
  });

  it("rejects http:// and non-Key-Vault secret URIs", () => {
    for (const uri of ["http://vikottur-test.vault.azure.net/secrets/dbauth3", "https://evil.example.com/secrets/dbauth3", "https://vikottur-test.vault.azure.net.evil.com/secrets/x"]) {
      const problems = check(pg(`  recoveryPoint: latest\n  target:\n    database:\n      id: ${DB}\n      credentialsSecretUri: ${uri}`));
      expect(codes(problems), uri).toEqual(["11:29 spec.target.database.credentialsSecretUri SpecInvalidValue"]);
    }
  });
});

describe("rules beyond the schema", () => {
  const cases: Array<[string, string, string[]]> = [
    ["neither pointInTime nor recoveryPoint", blob("  items: {containers: [abc]}"), ["5:1 spec SpecRestorePointMissing"]],
    ["both pointInTime and recoveryPoint", blob("  pointInTime: 2021-07-08T00:00:00Z\n  recoveryPoint: latest"), ["8:3 spec.recoveryPoint SpecTierConflict"]],
    ["a point in time in the future", blob("  pointInTime: 2099-07-08T00:00:00Z"), ["7:16 spec.pointInTime SpecTimeInFuture"]],
    ["a date that does not exist", blob("  pointInTime: 2021-02-30T00:00:00Z"), ["7:16 spec.pointInTime SpecInvalidTime"]],
    [
      "more than 10 containers and ranges (operational tier)",
      blob(`  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    containers: [${Array.from({ length: 9 }, (_, i) => `c0${i}`).join(", ")}]\n    ranges: [{from: x1, to: x2}, {from: y1, to: y2}]`),
      ["9:5 spec.items SpecTooManyRanges"].map((s) => s.replace("9:5", "8:3")),
    ],
    ["a reversed range", blob("  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    ranges: [{from: b, to: a}]"), ["9:28 spec.items.ranges[0].to SpecRangeReversed"]],
    [
      "overlapping ranges",
      blob("  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    ranges:\n      - {from: a, to: f}\n      - {from: c, to: z}"),
      ["11:9 spec.items.ranges[1] SpecRangesOverlap"],
    ],
    [
      "a container overlapping a range",
      blob("  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    containers: [logs]\n    ranges: [{from: a, to: m}]"),
      ["9:18 spec.items.containers[0] SpecRangesOverlap"],
    ],
    ["prefixes on the operational tier", blob("  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    prefixes: [logs/2021]"), ["9:5 spec.items.prefixes SpecPrefixesNeedVaultedTier"]],
    ["ranges on the vaulted tier", blob("  recoveryPoint: latest\n  items:\n    ranges: [{from: a, to: b}]"), ["9:5 spec.items.ranges SpecRangesNeedOperationalTier"]],
    [
      "another target account on the operational tier",
      blob("  pointInTime: 2021-07-08T00:00:00Z\n  target:\n    storageAccount: /subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/other"),
      ["8:3 spec.target SpecTargetNeedsVaultedTier"],
    ],
    ["empty items", blob("  pointInTime: 2021-07-08T00:00:00Z\n  items: {}"), ["8:3 spec.items SpecEmptyItems"]],
    [
      "ArchiveStore without rehydration",
      pg(`  recoveryPoint: latest\n  sourceDataStore: ArchiveStore\n  target: {files: {containerUrl: "https://acc.blob.core.windows.net/cont", filePrefix: p}}`),
      ["8:20 spec.sourceDataStore SpecRehydrationMissing"],
    ],
    [
      "rehydration without ArchiveStore",
      pg(`  recoveryPoint: latest\n  rehydration: {priority: High, retention: P10D}\n  target: {files: {containerUrl: "https://acc.blob.core.windows.net/cont", filePrefix: p}}`),
      ["8:3 spec.rehydration SpecRehydrationWithoutArchive"],
    ],
    [
      "rehydration retention outside 10-30 days",
      pg(`  recoveryPoint: latest\n  sourceDataStore: ArchiveStore\n  rehydration: {priority: High, retention: P31D}\n  target: {files: {containerUrl: "https://acc.blob.core.windows.net/cont", filePrefix: p}}`),
      ["9:44 spec.rehydration.retention SpecRehydrationRetention"],
    ],
    ["PostgreSQL without a target (no original-location restore)", pg("  recoveryPoint: latest\n  target: {}"), ["8:3 spec.target SpecOriginalLocationUnsupported"]],
    [
      "PostgreSQL with two targets",
      pg(`  recoveryPoint: latest\n  target:\n    database: {id: ${DB}, credentialsSecretUri: "https://kv1.vault.azure.net/secrets/s"}\n    files: {containerUrl: "https://acc.blob.core.windows.net/cont", filePrefix: p}`),
      ["8:3 spec.target SpecTargetConflict"],
    ],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      const problems = check(text);
      expect(codes(problems)).toEqual(expected);
      for (const p of problems) expect(p.remedy, p.code).toBeTruthy();
    });
  }

  it("warns on a container listed twice", () => {
    const problems = check(blob("  recoveryPoint: latest\n  items:\n    containers: [abc, abc]"));
    expect(problems.map((p) => `${p.severity} ${p.code} ${p.field}`)).toEqual(["warning SpecDuplicateItem spec.items.containers[1]"]);
  });
});

describe("RawRestore", () => {
  it("refuses a secret value written into the request", () => {
    const problems = check(`apiVersion: azure-restores/v1
kind: RawRestore
metadata: { name: x }
spec:
  backupInstance: ${PG_BI}
  request:
    objectType: AzureBackupRecoveryPointBasedRestoreRequest
    sourceDataStoreType: VaultStore
    recoveryPointId: eb006fde78cb47198be5a320fbe45e9b
    restoreTargetInfo:
      objectType: RestoreTargetInfo
      recoveryOption: FailIfExists
      datasourceInfo: { resourceID: ${DB} }
      datasourceAuthCredentials:
        objectType: SecretStoreBasedAuthCredentials
        secretStoreResource: { secretStoreType: AzureKeyVault, uri: "https://kv1.vault.azure.net/secrets/s", value: "hunter2" }`);
    expect(codes(problems)).toEqual(["16:110 spec.request.restoreTargetInfo.datasourceAuthCredentials.secretStoreResource.value SpecSecretValue"]);
    expect(JSON.stringify(problems)).not.toContain("hunter2");
  });
});

describe("across files", () => {
  function tree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "specs-"));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  it("reports every problem of every file at once, and no specs", () => {
    const dir = tree({
      "a.yaml": blob("  pointInTime: 2099-01-01T00:00:00Z", "a"),
      "team/b.yml": blob("  recoveryPoint: {latestBefore: nope}", "b"),
      "c.yaml": ": not yaml: [",
      "restore-policy.yaml": "not: a spec",
      "notes.txt": "ignored",
    });
    const result = checkSpecFiles([dir], { now: NOW });
    expect(result.specs).toEqual([]);
    expect(result.files.map((f) => path.basename(f)).sort()).toEqual(["a.yaml", "b.yml", "c.yaml"]);
    // The policy file is read as a policy, not a spec: its problems are a policy's.
    expect(new Set(result.problems.map((p) => path.basename(p.file!)))).toEqual(new Set(["a.yaml", "b.yml", "c.yaml", "restore-policy.yaml"]));
    expect(result.problems.filter((p) => p.file!.endsWith("restore-policy.yaml")).every((p) => p.code === "PolicyInvalid")).toBe(true);
  });

  it("refuses a name used twice, pointing at both files", () => {
    const dir = tree({ "a.yaml": blob("  pointInTime: 2021-01-01T00:00:00Z", "same"), "b.yaml": blob("  pointInTime: 2021-01-01T00:00:00Z", "same") });
    const result = checkSpecFiles([dir], { now: NOW });
    const clash = result.problems.find((p) => p.code === "SpecDuplicateName")!;
    expect(clash.file).toMatch(/b\.yaml$/);
    expect(clash.message).toMatch(/already used by .*a\.yaml:4/);
  });

  it("warns when the file name differs from metadata.name", () => {
    const dir = tree({ "other.yaml": blob("  pointInTime: 2021-01-01T00:00:00Z", "name-a") });
    const result = checkSpecFiles([dir], { now: NOW });
    expect(result.problems.map((p) => `${p.severity} ${p.code}`)).toEqual(["warning SpecNameMismatch"]);
    expect(result.specs).toHaveLength(1);
  });

  it("reports a path that does not exist", () => {
    const result = checkSpecFiles(["/nonexistent/restores"]);
    expect(result.problems.map((p) => p.code)).toEqual(["SpecPathNotFound"]);
  });
});

describe("restore-policy.yaml", () => {
  const policy = (rules: string) => `# yaml-language-server: $schema=../schemas/restore-policy.schema.json
apiVersion: azure-restores/v1
kind: RestorePolicy
rules:
${rules}`;
  function folder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  it("names the rule a spec breaks, at the field", () => {
    const dir = folder({
      "restore-policy.yaml": policy("  requireTicket: true\n  allowOriginalLocation: false\n  allowedResourceGroups: [targetrg]"),
      "a.yaml": blob("  pointInTime: 2021-07-08T00:00:00Z", "a"),
      "b.yaml": pg(`  recoveryPoint: latest\n  target:\n    database:\n      id: ${DB.replace("targetrg", "prodrg")}\n      credentialsSecretUri: https://kv1.vault.azure.net/secrets/s`).replace("name: x", "name: b\n  ticket: CHG-1"),
    });
    const result = checkSpecFiles([dir], { now: NOW });
    expect(result.policy?.rules.requireTicket).toBe(true);
    const found = result.problems.map((p) => `${path.basename(p.file!)}:${p.line}:${p.column} ${p.field} ${p.message.split(":")[0]}`);
    expect(found.sort()).toEqual(
      [
        "a.yaml:4:3 metadata policy rule requireTicket",
        "a.yaml:6:3 spec policy rule allowOriginalLocation",
        "b.yaml:11:11 spec.target.database.id policy rule allowedResourceGroups",
      ].sort(),
    );
    expect(result.specs).toEqual([]);
  });

  it("reports a malformed policy at its position", () => {
    const dir = folder({ "restore-policy.yaml": policy("  maxRestoresPerRun: many\n  allowedSubscriptions: [not-a-guid]\n  requireTickets: true"), "a.yaml": blob("  pointInTime: 2021-07-08T00:00:00Z", "a") });
    const problems = checkSpecFiles([dir], { now: NOW }).problems.filter((p) => p.code === "PolicyInvalid");
    expect(problems.map((p) => `${p.line}:${p.column} ${p.field}`).sort()).toEqual(["5:22 rules.maxRestoresPerRun", "6:26 rules.allowedSubscriptions[0]", "7:3 rules.requireTickets"].sort());
  });
});

describe("bad input gets a clear error, never a stack trace", () => {
  const hostile: Array<[string, string, string]> = [
    ["not YAML", "apiVersion: [unclosed\nkind: x", "SpecYamlSyntax"],
    ["duplicate keys", "apiVersion: azure-restores/v1\napiVersion: azure-restores/v1\n", "SpecDuplicateKey"],
    ["an alias bomb", ["a: &a [x,x,x,x,x,x,x,x,x]", ...Array.from({ length: 8 }, (_, i) => `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [*${"abcdefgh"[i]},*${"abcdefgh"[i]},*${"abcdefgh"[i]},*${"abcdefgh"[i]}]`)].join("\n"), "SpecYamlAliases"],
    ["deep nesting", `${"[".repeat(5000)}${"]".repeat(5000)}`, "SpecTooDeep"],
    ["a scalar document", "just a string", "SpecWrongType"],
    ["two documents", `${blob("  pointInTime: 2021-01-01T00:00:00Z")}\n---\n${blob("  pointInTime: 2021-01-01T00:00:00Z")}`, "SpecMultipleDocuments"],
    ["an empty file", "", "SpecEmpty"],
    ["a huge file", `# ${"x".repeat(300 * 1024)}\n`, "SpecTooLarge"],
    ["binary", "\u0000\u0001\u0002", "SpecNotText"],
  ];
  for (const [title, text, code] of hostile) {
    it(title, () => {
      const problems = check(text);
      expect(problems.map((p) => p.code)).toContain(code);
      for (const p of problems) {
        expect(p.file).toBe("restores/x.yaml");
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.message).not.toMatch(/\n\s+at /);
      }
    });
  }
});
