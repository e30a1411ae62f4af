// Preloaded into the dynamic-provider plugin (see scripts/bootstrap): the plugin exits when the
// process that started it is gone (the engine, or the `up` that starts it for the engine to attach
// to: program/driver/provider-plugin.ts), so a killed `up` leaves no provider process polling AWS.
// Node's `process.ppid` is read once at start-up (a plain value, not a live getter), so the
// parent is checked through /proc: re-parented (the engine died and was reaped), or dead but not
// yet reaped (a zombie: where PID 1 reaps slowly, containers, a killed engine stays one a while).
"use strict";
const fs = require("node:fs");
const parent = process.ppid;

/** [state, ppid] of a process from /proc/<pid>/stat; the fields after "(comm)" may follow spaces. */
function stat(pid) {
  const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return [fields[0], Number(fields[1])];
}

function parentGone() {
  if (!fs.existsSync("/proc/self/stat")) {
    try {
      process.kill(parent, 0); // no /proc (not Linux): a signal 0 tells whether it still exists
      return false;
    } catch {
      return true;
    }
  }
  if (stat("self")[1] !== parent) return true;
  try {
    const [state] = stat(parent);
    return state === "Z" || state === "X";
  } catch {
    return true;
  }
}

setInterval(() => {
  if (parentGone()) process.exit(1);
}, 1000).unref();
