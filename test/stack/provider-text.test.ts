// The dynamic resources register what pulumi.dynamic.Resource would (type and `__provider` text,
// byte for byte), with the text made once and read back from ZEROSTACK_HOME's cache after that.
// The closure serializer cannot walk vitest's transformed modules, so this runs the build (dist/)
// in a child Node process, as the CLI does.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, root } from "../tui/build.js";

const homes: string[] = [];
beforeAll(() => {
  expect(ensureBuilt()).toBe(true);
}, 240_000);
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), "zs-provider-text-"));
  homes.push(home);
  return home;
}

/** Runs an ES module body against dist/ with ZEROSTACK_HOME=home; its stdout parsed as JSON. */
function inBuild(home: string, body: string): unknown {
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", body], {
    cwd: root,
    env: { ...process.env, ZEROSTACK_HOME: home },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"], // @pulumi/pulumi's deprecation warnings stay out of the report
  });
  return JSON.parse(stdout);
}

// what the engine receives for an SDK dynamic resource and for ours, of two kinds, in a mocked program
const registerBoth = `
import * as pulumi from "@pulumi/pulumi";
import { serializedProvider } from "./dist/program/providers/dynamic.js";
import { Endpoint, TrainingJob } from "./dist/program/stack/resources.js";
const seen = [];
await pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      seen.push({ type: args.type, name: args.name, provider: args.inputs.__provider });
      return { id: args.name + "-id", state: args.inputs };
    },
    call: () => { throw new Error("no calls expected"); },
  },
  "zerostack", "provider-text", false,
);
await pulumi.runtime.runInPulumiStack(async () => {
  new pulumi.dynamic.Resource(serializedProvider("training-job"), "sdk-job", {}, undefined, "zerostack", "TrainingJob");
  new TrainingJob("ours-job", {});
  new pulumi.dynamic.Resource(serializedProvider("endpoint"), "sdk-endpoint", {}, undefined, "zerostack", "Endpoint");
  new Endpoint("ours-endpoint", {});
  return {};
});
await pulumi.runtime.waitForRPCs?.();
console.log(JSON.stringify(Object.fromEntries(seen.map((r) => [r.name, r]))));
`;

const textOf = (kind: string) => `
import { providerText } from "./dist/program/stack/provider-text.js";
console.log(JSON.stringify(await providerText(${JSON.stringify(kind)})));
`;

interface Seen {
  type: string;
  name: string;
  provider: string;
}

describe("dynamic resources with a kept provider text", () => {
  it("register the same type and __provider as pulumi.dynamic.Resource, and keep the text", () => {
    const home = newHome();
    const seen = inBuild(home, registerBoth) as Record<string, Seen>;
    expect(seen["ours-job"]!.type).toBe("pulumi-nodejs:dynamic/zerostack:TrainingJob");
    expect(seen["ours-job"]).toEqual({ ...seen["sdk-job"], name: "ours-job" });
    expect(seen["ours-endpoint"]).toEqual({ ...seen["sdk-endpoint"], name: "ours-endpoint" });
    expect(seen["ours-job"]!.provider).toContain('kind: "training-job"');
    expect(readdirSync(join(home, "cache", "providers")).sort()).toEqual([
      expect.stringMatching(/^endpoint-[0-9a-f]{24}\.js$/),
      expect.stringMatching(/^training-job-[0-9a-f]{24}\.js$/),
    ]);
    // the next up (a new process) gets the same text from the cache
    expect(inBuild(home, registerBoth)).toEqual(seen);
  });

  it("reads the kept text instead of serializing again", () => {
    const first = newHome();
    expect(inBuild(first, textOf("model"))).toContain('kind: "model"');
    const [file] = readdirSync(join(first, "cache", "providers"));
    // a second home whose cache holds a marker under the same name: the marker comes back
    const second = newHome();
    mkdirSync(join(second, "cache", "providers"), { recursive: true });
    writeFileSync(join(second, "cache", "providers", file!), "// kept\n");
    expect(inBuild(second, textOf("model"))).toBe("// kept\n");
  });

  it("serializes when the home cannot keep it", () => {
    const home = join(newHome(), "a-file");
    writeFileSync(home, "");
    expect(inBuild(home, textOf("ttl-schedule"))).toContain('kind: "ttl-schedule"');
  });
});
