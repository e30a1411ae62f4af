// The dynamic-provider plugin `up` starts before the engine: the real plugin (the bootstrapped
// wrapper first on PATH) gives its port, answers the engine's Attach (scripts/attachable-provider.cjs)
// and its other calls over gRPC as the engine would make them, and is gone once stopped; a plugin
// that cannot start leaves the start to the engine (undefined); PULUMI_DEBUG_PROVIDERS keeps the
// user's own entries. Every up of the e2e tests attaches the engine to it.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachSetting, startDynamicProviderPlugin } from "../../program/driver/provider-plugin.js";
import { pidAlive } from "../../program/env/process.js";

interface UnaryClient {
  attach(request: unknown, callback: (error: Error | null, reply: unknown) => void): void;
  getPluginInfo(request: unknown, callback: (error: Error | null, reply: { getVersion(): string }) => void): void;
  close(): void;
}
const sdk = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"));
const grpc = sdk("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
const { ResourceProviderClient } = sdk("./proto/provider_grpc_pb.js") as {
  ResourceProviderClient: new (address: string, credentials: unknown) => UnaryClient;
};
const { PluginAttach } = sdk("./proto/plugin_pb.js") as {
  PluginAttach: new () => { setAddress(address: string): void };
};
const { Empty } = sdk("google-protobuf/google/protobuf/empty_pb.js") as { Empty: new () => unknown };
const { version: sdkVersion } = sdk("./version.js") as { version: string };

const call = <T>(send: (callback: (error: Error | null, reply: T) => void) => void) =>
  new Promise<T>((resolve, reject) => send((error, reply) => (error ? reject(error) : resolve(reply))));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "zs-plugin-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the real dynamic-provider plugin, started before the engine", () => {
  it("gives its port, acknowledges Attach, serves its calls, and is gone once stopped", async () => {
    const output: string[] = [];
    const plugin = await startDynamicProviderPlugin({ env: process.env, cwd: dir, onOutput: (l) => output.push(l) });
    expect(plugin).toBeDefined();
    if (!plugin) return;
    expect(plugin.alive()).toBe(true);
    const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    try {
      const attach = new PluginAttach();
      attach.setAddress("127.0.0.1:1"); // the engine's address: the plugin never calls it
      await expect(call((cb) => client.attach(attach, cb))).resolves.toBeDefined();
      const info = await call<{ getVersion(): string }>((cb) => client.getPluginInfo(new Empty(), cb));
      expect(info.getVersion()).toBe(sdkVersion);
    } finally {
      client.close();
      plugin.stop();
    }
    await expect.poll(() => plugin.alive(), { timeout: 5_000 }).toBe(false);
    expect(output).toEqual([]);
  });
});

describe("a plugin that cannot be started here: the engine starts its own", () => {
  const fakePlugin = (name: string, script: string) => {
    const bin = join(dir, name);
    mkdirSync(bin, { recursive: true });
    const file = join(bin, "pulumi-resource-pulumi-nodejs");
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return { PATH: `${bin}:/usr/bin:/bin` };
  };

  it("one that exits before giving a port, or prints something else, or none on PATH", async () => {
    const onOutput = () => undefined;
    const exits = fakePlugin("exits", "echo 'fatal: something' >&2; exit 1");
    expect(await startDynamicProviderPlugin({ env: exits, cwd: dir, onOutput })).toBeUndefined();
    const garbage = fakePlugin("garbage", "echo 'listening soon'; sleep 30");
    expect(await startDynamicProviderPlugin({ env: garbage, cwd: dir, onOutput })).toBeUndefined();
    expect(await startDynamicProviderPlugin({ env: { PATH: join(dir, "empty") }, cwd: dir, onOutput })).toBeUndefined();
  });

  it("one that gives no port in time is stopped", async () => {
    const pidFile = join(dir, "slow.pid");
    const slow = fakePlugin("slow", `echo $$ > "${pidFile}"; exec sleep 30`);
    expect(await startDynamicProviderPlugin({ env: slow, cwd: dir, onOutput: () => undefined, timeoutMs: 500 })).toBe(
      undefined,
    );
    const pid = Number(readFileSync(pidFile, "utf8"));
    await expect.poll(() => pidAlive(pid), { timeout: 5_000 }).toBe(false);
  });

  it("PULUMI_IGNORE_AMBIENT_PLUGINS: the engine looks beyond PATH, so it finds the plugin itself", async () => {
    const env = { ...process.env, PULUMI_IGNORE_AMBIENT_PLUGINS: "1" };
    expect(await startDynamicProviderPlugin({ env, cwd: dir, onOutput: () => undefined })).toBeUndefined();
  });

  it("what it writes after its port reaches the output, as the engine shows a plugin's lines", async () => {
    const output: string[] = [];
    const talks = fakePlugin("talks", "echo 4242; echo 'loading provider'; echo 'warning: slow' >&2; exec sleep 30");
    const plugin = await startDynamicProviderPlugin({ env: talks, cwd: dir, onOutput: (l) => output.push(l) });
    expect(plugin?.port).toBe(4242);
    await expect.poll(() => [...output].sort(), { timeout: 5_000 }).toEqual(["loading provider", "warning: slow"]);
    plugin?.stop();
  });
});

describe("PULUMI_DEBUG_PROVIDERS", () => {
  it("adds the plugin to what the user set, and keeps the user's own pulumi-nodejs", () => {
    expect(attachSetting(undefined, 4242)).toBe("pulumi-nodejs:4242");
    expect(attachSetting("aws:1234", 4242)).toBe("aws:1234,pulumi-nodejs:4242");
    expect(attachSetting("aws:1234,,", 4242)).toBe("aws:1234,pulumi-nodejs:4242");
    expect(attachSetting("pulumi-nodejs:9999,aws:1", 4242)).toBe("pulumi-nodejs:9999,aws:1");
  });
});
