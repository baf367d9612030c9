import { describe, expect, test } from "vitest";
import { canonicalDatasourceType, KINDS, kindOf } from "../../emulator/kinds";
import { blob } from "../../emulator/kinds/blob";
import { dataLake } from "../../emulator/kinds/datalake";
import { disk } from "../../emulator/kinds/disk";
import { mysqlFlexible } from "../../emulator/kinds/mysql-flexible";
import { postgresql } from "../../emulator/kinds/postgresql";
import { postgresqlFlexible } from "../../emulator/kinds/postgresql-flexible";

/** The registry of datasource kinds: lookups by datasource type, as the service compares them. */

describe("kinds registry", () => {
  test("finds a kind by datasource type without regard to case, aliases included", () => {
    expect(kindOf("Microsoft.Storage/storageAccounts/blobServices")).toBe(blob);
    expect(kindOf("Microsoft.DBforPostgreSQL/servers/databases")).toBe(postgresql);
    expect(kindOf("OssDB")).toBe(postgresql);
    expect(kindOf("Microsoft.Compute/disks")).toBe(disk);
    expect(kindOf("Microsoft.DBforPostgreSQL/flexibleServers")).toBe(postgresqlFlexible);
    expect(kindOf("Microsoft.DBforMySQL/flexibleServers")).toBe(mysqlFlexible);
    expect(kindOf("Microsoft.Storage/storageAccounts/adlsBlobServices")).toBe(dataLake);
    expect(kindOf("Microsoft.Example/widgets")).toBeUndefined();
  });

  test("an alias compares as its kind's canonical type; other types as themselves, lower case", () => {
    expect(canonicalDatasourceType("OSSDB")).toBe("microsoft.dbforpostgresql/servers/databases");
    expect(canonicalDatasourceType("Microsoft.Example/Widgets")).toBe("microsoft.example/widgets");
  });

  test("every kind lists its types in lower case, and no type belongs to two kinds", () => {
    const types = KINDS.flatMap((k) => k.datasourceTypes);
    expect(types.every((t) => t === t.toLowerCase())).toBe(true);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(KINDS.map((k) => k.name)).size).toBe(KINDS.length);
  });
});
