import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two workers on two cores: most tests wait on the emulator's clock and the provider host, not the
    // CPU (one worker, vitest's choice for two cores, took twice as long: 8 min against 4.3).
    maxWorkers: 2,
  },
});
