/**
 * Runs index.ts under Pulumi's mocks, as `pulumi preview` would run the program, and prints what it
 * registered as JSON on stdout. Started as a child process (ts-node, like Pulumi's nodejs runtime), so
 * each run gets a fresh Pulumi runtime. Input: PROGRAM_CONFIG (JSON of stack config), cwd = project.
 */
import * as pulumi from "@pulumi/pulumi";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** From the RegisterResource request the mock monitor received. */
  additionalSecretOutputs?: string[];
}

async function main(): Promise<void> {
  const registrations: Registration[] = [];
  const config = JSON.parse(process.env.PROGRAM_CONFIG ?? "{}") as Record<string, string>;
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, jobId: `job-of-${args.name}`, status: "Completed" } };
      },
      call() {
        return {};
      },
    },
    "azure-restores",
    "test",
    true,
  );
  // The mocks do not pass the resource options on; read them off the RegisterResource requests.
  const secretOutputs = new Map<string, string[]>();
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: { getName(): string; getAdditionalsecretoutputsList(): string[] }, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, cb);
  };
  let outputs: Record<string, unknown> = {};
  let error: string | undefined;
  try {
    const program = await import("../index");
    outputs = { restores: await new Promise((resolve) => (program.restores as pulumi.Output<unknown>).apply(resolve)) };
  } catch (e) {
    error = (e as Error).message;
  }
  // Let pending registrations (and provider serialization) settle.
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const r of registrations) r.additionalSecretOutputs = secretOutputs.get(r.name);
  process.stdout.write(JSON.stringify({ registrations, outputs, error }));
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ registrations: [], outputs: {}, error: `harness: ${(e as Error).stack}` }));
});
