// The engine's floor for bench/no-change-up.ts: one process that does what a no-change `up` cannot
// avoid (Node start, the Automation API, the Pulumi CLI, the file backend, the sandbox session's
// environment) on a stack whose program is empty. Run under bin/zerostack's environment.
// `--automation-api`: the Automation API's own `stack.up` instead of zerostack's `runUp`, with the
// three Pulumi processes it runs after every update (`stack output` twice, `stack history`).
const root = process.env.ZEROSTACK_ROOT;
const [{ openStack }, { runUp }] = await Promise.all([
  import(`${root}/dist/program/driver/workspace.js`),
  import(`${root}/dist/program/driver/operations.js`),
]);
const ctx = { sandbox: true };
const empty = async () => ({});
const stack = await openStack(ctx, "floor", empty);
if (process.argv.includes("--automation-api")) await stack.up({ program: empty, onEvent: () => {} });
else await runUp(ctx, stack, empty, { onEvent: () => {} });
