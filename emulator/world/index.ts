/** The world's public API: its types, the World, and the loaders (see the modules beside this one). */
export type * from "./model";
export { DEFAULT_SETTINGS, WorldError } from "./schema";
export { restoreJobDuration, World } from "./world";
export { defaultWorldPath, loadDefaultWorld, loadWorldFile, parseWorld, worldFromObject, worldsDir } from "./load";
