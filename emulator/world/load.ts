import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { checkWorldFile, WorldError } from "./schema";
import { World } from "./world";

/** Worlds from text, objects and files, and the worlds that ship in `emulator/worlds/`. */

/** Parses and checks a world from YAML or JSON text (`source` names it in errors). */
export function parseWorld(text: string, source = "world"): World {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (err) {
    throw new WorldError(`${source}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  return worldFromObject(data, source);
}

export function worldFromObject(data: unknown, source = "world"): World {
  checkWorldFile(data, source);
  return new World(data);
}

export function loadWorldFile(file: string): World {
  return parseWorld(fs.readFileSync(file, "utf8"), file);
}

/** The worlds folder: beside this folder in the source tree, three levels up from dist/emulator/world. */
export function worldsDir(): string {
  const candidates = [path.join(__dirname, "..", "worlds"), path.join(__dirname, "..", "..", "..", "emulator", "worlds")];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "default.yaml"))) return dir;
  throw new Error(`emulator worlds not found (looked in ${candidates.join(", ")})`);
}

export function defaultWorldPath(): string {
  return path.join(worldsDir(), "default.yaml");
}

export function loadDefaultWorld(): World {
  return loadWorldFile(defaultWorldPath());
}
