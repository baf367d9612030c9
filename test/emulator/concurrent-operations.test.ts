import * as fs from "fs";
import { describe, expect, test } from "vitest";
import * as YAML from "yaml";
import type { CloudError } from "../../api/types";
import { defaultWorldPath } from "../../emulator/world";
import { call, PG_BI, pgDatabaseRestore, pollToEnd, useTestEmulator } from "./helpers";

/** The service's limit of concurrent operations per backup instance, when a world sets one. */
const world = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8"));
world.settings.maxConcurrentRestoresPerInstance = 1;
const emu = useTestEmulator({ world });
const V = "2024-04-01";

describe("concurrent restores on one backup instance", () => {
  test("beyond the world's cap: 409 UserErrorMaxConcurrentOperationLimitReached, retryable; another target does not help", async () => {
    const first = await call(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: pgDatabaseRestore("capped-a") });
    expect(first.status, first.text).toBe(202);
    expect((await pollToEnd(emu, String(first.headers["azure-asyncoperation"]), 1)).body.status).toBe("Succeeded");
    const second = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: pgDatabaseRestore("capped-b") });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("UserErrorMaxConcurrentOperationLimitReached");
    expect(JSON.stringify(second.body.error)).toContain('"isRetryable":true');
  });
});
