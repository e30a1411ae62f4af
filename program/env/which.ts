// The executable a bare command name runs, found on PATH as a spawn of that name finds it.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { delimiter, join } from "node:path";

/** The first `name` on `pathVar` that is an executable file, with its stat; undefined when none is. */
export function whichOnPath(name: string, pathVar: string | undefined): { path: string; stat: Stats } | undefined {
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      const stat = statSync(path);
      if (!stat.isFile()) continue;
      accessSync(path, constants.X_OK);
      return { path, stat };
    } catch {}
  }
  return undefined;
}
