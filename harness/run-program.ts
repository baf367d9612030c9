/**
 * Runs index.ts under Pulumi's mocks, as `pulumi preview` would run the program, and prints what it
 * registered as JSON on stdout. Started as a child process (ts-node, like Pulumi's nodejs runtime), so
 * each run gets a fresh Pulumi runtime. Input: PROGRAM_CONFIG (JSON of stack config), PROGRAM_MOCKS
 * (JSON: `calls`, the result of each invoke by token, as the azure-native provider would answer;
 * `previousOutputs`, the stack outputs a StackReference to this stack reads), cwd = project.
 */
import * as pulumi from "@pulumi/pulumi";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** From the RegisterResource request the mock monitor received. */
  additionalSecretOutputs?: string[];
  /** URNs of the resources it depends on (`dependsOn`, and those its inputs came from). */
  dependencies?: string[];
  retainOnDelete?: boolean;
}

interface ProgramMocks {
  calls?: Record<string, Record<string, unknown>>;
  previousOutputs?: Record<string, unknown>;
}

async function main(): Promise<void> {
  const registrations: Registration[] = [];
  const config = JSON.parse(process.env.PROGRAM_CONFIG ?? "{}") as Record<string, string>;
  const mocks = JSON.parse(process.env.PROGRAM_MOCKS ?? "{}") as ProgramMocks;
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (args.type === "pulumi:pulumi:StackReference") return { id: args.name, state: { name: args.inputs.name, outputs: mocks.previousOutputs ?? {}, secretOutputNames: [] } };
        registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, jobId: `job-of-${args.name}`, status: "Completed" } };
      },
      call(args) {
        return mocks.calls?.[args.token] ?? {};
      },
    },
    "azure-restores",
    "test",
    true,
    // The organization of a self-managed backend's stacks; the program names its own stack with it.
    "organization",
  );
  // The mocks do not pass the resource options on; read them off the RegisterResource requests.
  const options = new Map<string, Pick<Registration, "additionalSecretOutputs" | "dependencies" | "retainOnDelete">>();
  type Request = { getName(): string; getAdditionalsecretoutputsList(): string[]; getDependenciesList(): string[]; getRetainondelete(): boolean };
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: Request, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    options.set(req.getName(), { additionalSecretOutputs: req.getAdditionalsecretoutputsList(), dependencies: req.getDependenciesList(), retainOnDelete: req.getRetainondelete() });
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
  for (const r of registrations) Object.assign(r, options.get(r.name));
  process.stdout.write(JSON.stringify({ registrations, outputs, error }));
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ registrations: [], outputs: {}, error: `harness: ${(e as Error).stack}` }));
});
