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
  let outputs: Record<string, unknown> = {};
  let error: string | undefined;
  try {
    const program = await import("../../index");
    outputs = { restores: await new Promise((resolve) => (program.restores as pulumi.Output<unknown>).apply(resolve)) };
  } catch (e) {
    error = (e as Error).message;
  }
  // Let pending registrations (and provider serialization) settle.
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.stdout.write(JSON.stringify({ registrations, outputs, error }));
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ registrations: [], outputs: {}, error: `harness: ${(e as Error).stack}` }));
});
