// Preloaded with `node --import`: records every module the process loads (in-thread resolve
// hook) and prints them as JSON on exit, so a test can see what a module pulls in.
import { registerHooks } from "node:module";

const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    loaded.add(result.url);
    return result;
  },
});
process.on("exit", () => {
  process.stderr.write(`\nLOADED ${JSON.stringify([...loaded])}\n`);
});
