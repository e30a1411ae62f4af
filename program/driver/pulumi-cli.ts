// The Pulumi CLI every workspace of this process runs. The Automation API's `PulumiCommand.get()`
// runs `pulumi version` to learn (and check) the CLI's version: ~0.15-0.25 s on every command's
// path. The answer is kept in ZEROSTACK_HOME, keyed by the binary that PATH resolves `pulumi` to
// (path, size, mtime, inode) and by the @pulumi/pulumi that checked it against its minimum, so
// only another or a rebuilt CLI, or another SDK, runs `pulumi version` again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import { zerostackHome } from "../env/paths.js";
import { whichOnPath } from "../env/which.js";

/** A SemVer as @pulumi/pulumi's own semver makes it (what `PulumiCommand.version` holds). */
type SemVer = NonNullable<PulumiCommand["version"]>;

/** The binary `pulumi` names on this PATH, as the Automation API's spawn of "pulumi" finds it. */
export interface CliBinary {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

interface CachedVersion extends CliBinary {
  /** the @pulumi/pulumi version whose `PulumiCommand.get()` accepted it */
  sdk: string;
  version: string;
}

export function cliBinary(pathVar: string | undefined): CliBinary | undefined {
  const found = whichOnPath("pulumi", pathVar);
  return found && { path: found.path, size: found.stat.size, mtimeMs: found.stat.mtimeMs, ino: found.stat.ino };
}

function sameBinary(a: CliBinary, b: CliBinary): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/** The version `pulumi version` printed for this very binary, if this home has seen it with this SDK. */
export function cachedVersion(file: string, binary: CliBinary, sdk: string): string | undefined {
  try {
    const cached = JSON.parse(readFileSync(file, "utf8")) as Partial<CachedVersion>;
    return typeof cached.version === "string" && cached.sdk === sdk && sameBinary(cached as CachedVersion, binary)
      ? cached.version
      : undefined;
  } catch {
    return undefined; // none yet, or unreadable: ask the CLI
  }
}

export function cliVersionFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(zerostackHome(env), "cache", "pulumi-cli.json");
}

/**
 * `PulumiCommand.get()` without its `pulumi version` process when this binary's version is known.
 * The command is built as `get()` builds it (`new PulumiCommand("pulumi", version)`), its version a
 * SemVer of the semver that @pulumi/pulumi itself loads, so the workspace's version checks compare
 * it as their own (test/driver/pulumi-cli.test.ts compares the two).
 */
export async function pulumiCommandOf(env: NodeJS.ProcessEnv = process.env): Promise<PulumiCommand> {
  const [{ PulumiCommand }, { version: sdk }] = await Promise.all([
    import("@pulumi/pulumi/automation/index.js"),
    import("@pulumi/pulumi/version.js"),
  ]);
  const binary = cliBinary(process.env.PATH); // the Automation API spawns with this process's PATH
  const file = cliVersionFile(env);
  const known = binary && cachedVersion(file, binary, sdk);
  if (known) {
    const sdkCmd = createRequire(import.meta.url).resolve("@pulumi/pulumi/automation/cmd.js");
    const semver = createRequire(sdkCmd)("semver") as {
      SemVer: new (version: string) => SemVer;
    };
    const construct = PulumiCommand as unknown as new (command: string, version: SemVer) => PulumiCommand;
    return new construct("pulumi", new semver.SemVer(known));
  }
  const command = await PulumiCommand.get(); // runs `pulumi version` and checks the minimum
  if (binary && command.version) {
    const cached: CachedVersion = { ...binary, sdk, version: command.version.toString() };
    const temporary = `${file}.${process.pid}`; // whole or not at all, for processes reading it meanwhile
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(temporary, `${JSON.stringify(cached)}\n`);
      renameSync(temporary, file);
    } catch {} // a home not made yet, or read-only: asked again next time
  }
  return command;
}
