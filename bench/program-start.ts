/**
 * Program start benchmark (child process): the Pulumi program (index.ts) under Pulumi's mocks, the way
 * the nodejs language host runs it (ts-node registered before anything else, then the program imported),
 * timing each step up to the moment the last Restore is registered.
 *
 *   node -r ts-node/register/transpile-only bench/program-start.ts      (env BENCH_SPECS, BENCH_EXPECT)
 *
 * `performance.now()` counts from the start of the process (performance.timeOrigin), so the times below
 * include node's own start and ts-node's registration. Prints one JSON line.
 */
import { performance } from "perf_hooks";

const entered = performance.now();

async function main(): Promise<void> {
  const expected = Number(process.env.BENCH_EXPECT ?? "0");
  const specs = process.env.BENCH_SPECS ?? "restores";
  let registered = 0;
  let allRegisteredAt = NaN;
  let firstRegisteredAt = NaN;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));

  const pulumiStart = performance.now();
  const pulumi = await import("@pulumi/pulumi");
  const pulumiLoaded = performance.now();
  pulumi.runtime.setAllConfig({ "azure-restores:specs": specs, ...(process.env.BENCH_API_VERSION ? { "azure-restores:apiVersion": process.env.BENCH_API_VERSION } : {}) });
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type.endsWith("azure-restores:Restore")) {
          registered += 1;
          if (registered === 1) firstRegisteredAt = performance.now();
          if (registered === expected) {
            allRegisteredAt = performance.now();
            resolveAll();
          }
        }
        return { id: `${args.name}-id`, state: { ...args.inputs, jobId: `job-of-${args.name}`, status: "Completed" } };
      },
      call() {
        return {};
      },
    },
    "azure-restores",
    "bench",
    true,
  );
  const importStart = performance.now();
  let error: string | undefined;
  let program: { restores?: { apply(f: (v: unknown) => void): unknown } } = {};
  try {
    program = (await import("../index")) as typeof program;
  } catch (e) {
    error = (e as Error).message;
  }
  const importEnd = performance.now();
  const timeout = () => new Promise<void>((resolve) => setTimeout(resolve, 120_000).unref());
  if (!error) await Promise.race([all, timeout()]);
  const usage = process.resourceUsage();
  // Not measured: let the stack output resolve, so the runtime exits without reporting pending promises.
  if (!error && program.restores) await Promise.race([new Promise<void>((resolve) => program.restores!.apply(() => resolve())), timeout()]);
  process.stdout.write(
    `${JSON.stringify({
      specs,
      expected,
      registered,
      error,
      /** ms from process start */
      entered,
      pulumiLoaded,
      importStart,
      importEnd,
      firstRegisteredAt,
      allRegisteredAt,
      pulumiLoadMs: pulumiLoaded - pulumiStart,
      programImportMs: importEnd - importStart,
      importToAllRegisteredMs: allRegisteredAt - importStart,
      maxRssMb: usage.maxRSS / 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    })}\n`,
  );
  // The mocks leave nothing running that matters; exit without waiting for the runtime's disconnect.
  process.exit(0);
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ error: `harness: ${(e as Error).stack}` })}\n`);
  process.exit(1);
});
