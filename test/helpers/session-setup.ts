import * as path from "path";
import type { Problem } from "../../errors/problem";
import type { RestoreSpec } from "../../kinds";
import { loadProgramSpecs } from "../../providers/program";
import type { RestoreInputs } from "../../providers/restore-state";
import { RestoreSession } from "../../providers/session";
import { settingsFrom } from "../../providers/settings";
import { FakeApi } from "./fake-api";
import { FakeClock } from "./fake-clock";

const root = path.join(__dirname, "..", "..");
const examples = new Map(loadProgramSpecs("restores", "2024-04-01", root).specs.map((s) => [s.spec.metadata.name, s.spec]));

export const SUBSCRIPTION = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const CONFIG: Record<string, string> = { endpoint: "https://fake.example", credential: "emulator", apiVersion: "2024-04-01", subscriptionId: SUBSCRIPTION, jobPollInterval: "PT10S", jobPollMaxInterval: "PT60S" };

/** An example spec of restores/ as the program gives it to its Restore, edited. */
export function inputs(name: string, edit: (spec: RestoreSpec) => void = () => undefined): RestoreInputs {
  const spec = structuredClone(examples.get(name)!);
  edit(spec);
  return { spec, specFile: `restores/${name}.yaml`, lookalikes: 1 };
}

/** A session on a fake clock and a fake API; its warnings collected. */
export function session(config: Record<string, string> = {}): { clock: FakeClock; api: FakeApi; session: RestoreSession; warnings: Problem[] } {
  const clock = new FakeClock();
  const api = new FakeApi(clock);
  const warnings: Problem[] = [];
  const settings = settingsFrom((key) => ({ ...CONFIG, ...config })[key], {});
  return { clock, api, warnings, session: new RestoreSession(settings, { clock, clientFor: () => api, warn: (p) => warnings.push(p) }) };
}
