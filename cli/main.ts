import { parseArgs } from "util";
import { toolVersion } from "../client/user-agent";
import { processIO, type CliIO } from "./io";
import type { FactsSource } from "./render";
import { validateCommand } from "./validate";

const USAGE = `azure-restores — restores of Azure Backup data, run as code

Usage:
  azure-restores validate [paths...]   check restore specs (default: restores/); exit 1 on any error
      --api-version <v>                check RawRestore requests against this api-version
      --json                           print the result as JSON
  azure-restores render <spec>         print the exact REST calls and bodies of one spec
      --instance <file.json>           the backup instance as GET returns it (offline)
      --recovery-points <file.json>    its recovery point listing (for latest / latestBefore)
      --api-version <v>                api-version to render for (default: newest supported)
      --subscription <id>              default subscription (else AZURE_SUBSCRIPTION_ID)
      --json                           print the whole plan as JSON
    without --instance, the facts come from the Data Protection API:
      --endpoint <url>                 ARM endpoint (else AZURE_RESTORES_ENDPOINT, else management.azure.com)
      --credential <kind>              default | azure-cli | managed-identity | environment | emulator
      --ca <file.pem>                  extra CA to trust (the emulator's ca.pem)
  azure-restores report [file|-]       the drills' evidence of a \`pulumi stack export\` (stdin without a file)
      --out <dir>                      where report.md, report.html, report.json go (default: drill-report)
      --format <f>                     md | html | json | all (default); $GITHUB_STEP_SUMMARY gets the Markdown
  azure-restores --version | --help

Problems print as  file:line:col  field  message  (fix: ...).
Under GitHub Actions (GITHUB_ACTIONS=true) they are also annotations on the pull request.
`;


export interface MainDependencies {
  /** Backup instance facts from the Data Protection API, for `render` without --instance. */
  factsFromApi?: FactsSource;
}

export async function main(argv: string[], io: CliIO = processIO, deps: MainDependencies = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "validate": {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { "api-version": { type: "string" }, json: { type: "boolean" } } });
        return validateCommand({ paths: positionals, apiVersion: values["api-version"], json: values.json }, io);
      }
      case "render": {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            instance: { type: "string" },
            "recovery-points": { type: "string" },
            "api-version": { type: "string" },
            subscription: { type: "string" },
            json: { type: "boolean" },
            endpoint: { type: "string" },
            credential: { type: "string" },
            ca: { type: "string" },
          },
        });
        if (positionals.length !== 1) {
          io.stderr("render takes exactly one spec file, e.g. azure-restores render restores/msblob-all-20210708.yaml\n");
          return 2;
        }
        // Planning and the API client are loaded for `render` only: `validate` starts without them.
        const [{ renderCommand }, { factsFromApi }] = await Promise.all([import("./render"), import("./api")]);
        return await renderCommand(
          {
            spec: positionals[0],
            instanceFile: values.instance,
            recoveryPointsFile: values["recovery-points"],
            apiVersion: values["api-version"],
            subscriptionId: values.subscription,
            json: values.json,
          },
          io,
          deps.factsFromApi ?? factsFromApi({ endpoint: values.endpoint, credential: values.credential, caCertPath: values.ca }, io),
        );
      }
      case "report": {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: "string" }, format: { type: "string" } } });
        if (positionals.length > 1) {
          io.stderr("report takes one stack export (a file, or - for stdin), e.g. azure-restores report stack.json\n");
          return 2;
        }
        const { reportCommand } = await import("./report");
        return await reportCommand({ file: positionals[0], out: values.out, format: values.format }, io);
      }
      case "--version":
      case "version":
        io.stdout(`${toolVersion()}\n`);
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.stderr(`unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    // parseArgs reports unknown or malformed options by throwing; say which, without a stack trace.
    io.stderr(`${(error as Error).message}\n(run azure-restores --help)\n`);
    return 2;
  }
}
