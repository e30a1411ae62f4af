// Preloaded into the dynamic-provider plugin (see scripts/bootstrap): the plugin exits when the
// engine that started it is gone, so a killed `up` leaves no provider process polling AWS.
"use strict";
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 1000).unref();
