/**
 * The provider's entry point, loaded from dist/ by the serialized provider object (restore-provider.ts)
 * with `require` at run time, inside the dynamic-provider host: one session per host.
 */
import { RestoreSession } from "./session";
import type { RestoreInputs, RestoreOutputs } from "./restore-state";
import { settingsFrom, type ProviderSettings } from "./settings";

export { settingsFrom } from "./settings";
export type { RestoreSession } from "./session";

export function openSession(settings: ProviderSettings): RestoreSession {
  return new RestoreSession(settings);
}

/*
 * Provider objects serialized before the session existed (in the state of stacks that ran them) call
 * these with their settings object, one per provider object: each gets its own session.
 */
const legacySessions = new WeakMap<ProviderSettings, RestoreSession>();
function legacy(settings: ProviderSettings): RestoreSession {
  let session = legacySessions.get(settings);
  if (!session) legacySessions.set(settings, (session = openSession(settings)));
  return session;
}

export const check = (settings: ProviderSettings, olds: Partial<RestoreInputs>, news: RestoreInputs) => legacy(settings).check(olds, news);
export const create = (settings: ProviderSettings, inputs: RestoreInputs) => legacy(settings).create(inputs);
export const update = (settings: ProviderSettings, id: string, olds: RestoreOutputs, news: RestoreInputs) => legacy(settings).update(id, olds, news);
export const read = (settings: ProviderSettings, id: string, props: RestoreOutputs) => legacy(settings).read(id, props);
export const configure = settingsFrom;
