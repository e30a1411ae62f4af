// What every command that touches AWS needs first: sandbox or real, the emulator running
// (in sandbox mode) with its endpoint and credentials in this process's environment (inherited by
// the engine and the dynamic providers), and the base outputs (bucket, roles).
import type { BaseOutputs } from "../base/outputs.js";
import type { DriverContext } from "../driver/workspace.js";
import { sandboxMode } from "../sandbox-client/mode.js";

export interface Session extends DriverContext {
  base: BaseOutputs;
  /** Now, on the clock the cloud's schedules run on: the wall clock, or the sandbox's own. */
  now(): Promise<Date>;
}

const wallClock = async () => new Date();

/** Where the session says which cloud it uses: the CLI prints it, the TUI shows its SANDBOX banner instead. */
export type Notify = (text: string) => void;

export async function openSession(sandboxFlag: boolean | undefined, notify: Notify = () => {}): Promise<Session> {
  const sandbox = sandboxMode(sandboxFlag);
  if (!sandbox) {
    const { resolveBase } = await import("../driver/resolve-base.js");
    return { sandbox, base: await resolveBase(), now: wallClock };
  }
  const [{ startSandbox, sandboxNow }, { sandboxEnv }, { resolveBase }] = await Promise.all([
    import("../sandbox-client/service.js"),
    import("../sandbox-client/seed.js"),
    import("../driver/resolve-base.js"),
  ]);
  const service = await startSandbox();
  Object.assign(process.env, sandboxEnv(service.endpoint));
  notify(`SANDBOX: using the sandbox cloud at ${service.endpoint} (no AWS account is touched)`);
  // the sandbox's base stack, read the way a real account's is (bring-your-own variables do not apply here)
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("ZEROSTACK_") || !/BUCKET|ROLE_ARN/.test(k)),
  );
  return {
    sandbox,
    base: await resolveBase(env, { ctx: { sandbox: true } }),
    now: () => sandboxNow(service.endpoint),
  };
}
