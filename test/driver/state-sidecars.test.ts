// The file backend's sidecars after a kill: an unreadable one (the state fileblob's
// truncate-then-write leaves when killed between the two) is removed, readable ones stay.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repairStateSidecars } from "../../program/driver/state-sidecars.js";

const ATTRS = JSON.stringify({ "user.content_type": "text/plain; charset=utf-8", md5: "e9fK8Di+2GrMdXaRvqe8Rg==" });

function backend(): { root: string; ctx: { sandbox: boolean; env: NodeJS.ProcessEnv }; file: (p: string) => string } {
  const root = mkdtempSync(join(tmpdir(), "zs-sidecars-"));
  const file = (p: string) => join(root, ".pulumi", p);
  for (const dir of ["stacks/zerostack", "locks/organization/zerostack/a", "locks/organization/zerostack/b"])
    mkdirSync(file(dir), { recursive: true });
  return { root, ctx: { sandbox: false, env: { ZEROSTACK_HOME: root, PULUMI_BACKEND_URL: `file://${root}` } }, file };
}

describe("state sidecars", () => {
  it("removes the stack's empty or cut-short sidecars and keeps readable ones and other stacks'", () => {
    const { ctx, file } = backend();
    writeFileSync(file("stacks/zerostack/a.json"), "{}");
    writeFileSync(file("stacks/zerostack/a.json.attrs"), ""); // killed after os.Create
    writeFileSync(file("stacks/zerostack/a.json.bak.attrs"), ATTRS.slice(0, 20));
    writeFileSync(file("stacks/zerostack/ab.json.attrs"), ""); // another stack: not this one's
    writeFileSync(file("locks/organization/zerostack/a/1.json.attrs"), "");
    writeFileSync(file("locks/organization/zerostack/a/2.json.attrs"), ATTRS);
    writeFileSync(file("meta.yaml.attrs"), ATTRS);
    const removed = repairStateSidecars(ctx, "zerostack", "a");
    expect(removed.map((f) => f.slice(f.indexOf(".pulumi/") + 8)).sort()).toEqual([
      "locks/organization/zerostack/a/1.json.attrs",
      "stacks/zerostack/a.json.attrs",
      "stacks/zerostack/a.json.bak.attrs",
    ]);
    expect(existsSync(file("stacks/zerostack/a.json"))).toBe(true);
    expect(existsSync(file("stacks/zerostack/ab.json.attrs"))).toBe(true);
    expect(existsSync(file("locks/organization/zerostack/a/2.json.attrs"))).toBe(true);
    expect(existsSync(file("meta.yaml.attrs"))).toBe(true);
  });

  it("repairs every stack's and the backend's meta.yaml sidecar when no stack is named", () => {
    const { ctx, file } = backend();
    writeFileSync(file("stacks/zerostack/ab.json.attrs"), "");
    writeFileSync(file("locks/organization/zerostack/b/1.json.attrs"), "");
    writeFileSync(file("meta.yaml.attrs"), "");
    expect(repairStateSidecars(ctx, "zerostack")).toHaveLength(3);
    expect(repairStateSidecars(ctx, "zerostack")).toEqual([]);
  });

  it("leaves a remote backend alone", () => {
    const { ctx } = backend();
    expect(repairStateSidecars({ ...ctx, env: { PULUMI_BACKEND_URL: "s3://bucket" } }, "zerostack")).toEqual([]);
  });
});
