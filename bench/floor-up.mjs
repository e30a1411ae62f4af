// The engine's floor for bench/no-change-up.ts: one process that does what a no-change `up` cannot
// avoid (Node start, the Automation API, the Pulumi CLI, the file backend, the sandbox session's
// environment) on a stack whose program is empty, through zerostack's own driver (`openStack`,
// `runUp`: every cut of the driver applies to it too). Run under bin/zerostack's environment.
// `--automation-api`: the plain Automation API instead, as the issue measured its floor:
// `LocalWorkspace.createOrSelectStack` (`pulumi version`, `pulumi stack select`) and `stack.up`
// (with the three Pulumi processes it runs after every update), on a stack of its own.
import { mkdirSync } from "node:fs";

const root = process.env.ZEROSTACK_ROOT;
const empty = async () => ({});
if (process.argv.includes("--automation-api")) {
  const [{ LocalWorkspace }, { stateLayout, zerostackHome }, { configPassphrase }] = await Promise.all([
    import("@pulumi/pulumi/automation/index.js"),
    import(`${root}/dist/program/env/paths.js`),
    import(`${root}/dist/program/driver/passphrase.js`),
  ]);
  const layout = stateLayout(true);
  mkdirSync(`${layout.workspaces}/floor-api`, { recursive: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "floor-api", projectName: "zerostack", program: empty },
    {
      workDir: `${layout.workspaces}/floor-api`,
      pulumiHome: layout.pulumiHome,
      projectSettings: { name: "zerostack", runtime: "nodejs", backend: { url: layout.backendUrl } },
      secretsProvider: "passphrase",
      envVars: { PULUMI_CONFIG_PASSPHRASE: configPassphrase(zerostackHome()), PULUMI_SKIP_UPDATE_CHECK: "true" },
    },
  );
  await stack.up({ program: empty, onEvent: () => {} });
} else {
  const [{ openStack }, { runUp }] = await Promise.all([
    import(`${root}/dist/program/driver/workspace.js`),
    import(`${root}/dist/program/driver/operations.js`),
  ]);
  const stack = await openStack({ sandbox: true }, "floor", empty);
  await runUp({ sandbox: true }, stack, empty, { onEvent: () => {} });
}
