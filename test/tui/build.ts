// Tests that run the built CLI or TUI rebuild dist/ when a source is newer than it.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");

export function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

export function ensureBuilt(): boolean {
  const built = join(root, "dist", "tui", "main.js");
  const inputs = [...sources(join(root, "tui")), ...sources(join(root, "program"))];
  const stale = !existsSync(built) || inputs.some((f) => statSync(f).mtimeMs > statSync(built).mtimeMs);
  if (stale) {
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
        cwd: root,
        stdio: "pipe",
      });
    } catch {
      // type errors elsewhere in the tree still emit
    }
    execFileSync(process.execPath, [join(root, "scripts", "bundle-tui.mjs")], { cwd: root, stdio: "pipe" });
  }
  return existsSync(built);
}
