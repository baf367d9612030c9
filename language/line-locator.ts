import type { FieldPath } from "../errors/field";
import { readPlainStyle, type PlainNode } from "./plain-style";
import type { Position } from "./position";

/**
 * Positions in a file in the plain style (plain-style.ts), from its lines: the answers of `yaml`'s tokens
 * (tokenLocator). A file in any other style it leaves to them (undefined).
 */
export interface LineLocator {
  locate(path: FieldPath, at: "key" | "value"): Position | undefined;
}

export function lineLocator(text: string): LineLocator {
  return plainLocator(readPlainStyle(text));
}

/** The locator of an already read file (none read: never sure). */
function plainLocator(root: PlainNode | undefined): LineLocator {
  return {
    locate(path, mode) {
      if (!root) return undefined;
      let node = root;
      let best = node.at;
      for (let i = 0; i < path.length; i++) {
        const segment = path[i];
        if (node.kind === "map") {
          const entry = node.entries.find((e) => e.key === String(segment));
          if (!entry) return best;
          if (i === path.length - 1 && mode === "key") return entry.keyAt;
          node = entry.value;
        } else if (node.kind === "seq" && typeof segment === "number") {
          const item = node.items[segment];
          if (!item) return best;
          node = item;
        } else if (node.kind === "scalar") {
          return best;
        } else {
          return undefined;
        }
        best = node.at;
      }
      return best;
    },
  };
}
