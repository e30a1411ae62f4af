#!/usr/bin/env node
// Bundles the built TUI (dist/tui/main.js with Ink, React and their dependencies) into
// dist/tui-bundle/tui.js: one file to load instead of Ink's hundreds of modules, which is most of
// the time to the first frame (bench/first-frame.ts). The backend stays outside: the TUI imports
// it after the first frame. Run by scripts/bootstrap and `npm run build` after tsc.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
rmSync(join(root, "dist", "tui-bundle"), { recursive: true, force: true }); // no stale chunks
await build({
  entryPoints: [join(root, "dist", "tui", "main.js")],
  bundle: true,
  // Ink loads its devtools (react-devtools-core, ws) only with DEV=true: a chunk of its own
  splitting: true,
  external: ["react-devtools-core", "ws"],
  format: "esm",
  platform: "node",
  target: "node22",
  outdir: join(root, "dist", "tui-bundle"),
  entryNames: "tui",
  // CommonJS dependencies (React) call require() for Node's built-ins
  banner: {
    js: "import { createRequire as __zsRequire } from 'node:module'; const require = __zsRequire(import.meta.url);",
  },
  logLevel: "warning",
});
