import type { DataPlaneOptions } from "../../emulator/data-planes";
import { ENV } from "../data-planes-setup";

/**
 * The data planes globalSetup started (test/data-planes-setup.ts), as the emulator's `dataPlanes` option
 * takes them. Tests share one Azurite and one PostgreSQL: give each restore its own database name and
 * file prefix.
 */
export function testDataPlanes(): Required<DataPlaneOptions> {
  const value = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set: the data planes start in test/global-setup.ts (run the tests with vitest, which runs it)`);
    return v;
  };
  return { blobEndpoint: value(ENV.blobEndpoint), blobAccountName: value(ENV.blobAccount), blobAccountKey: value(ENV.blobKey), postgresUrl: value(ENV.postgresUrl) };
}
