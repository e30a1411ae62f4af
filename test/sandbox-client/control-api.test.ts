// The sandbox's control routes are read with node:http (program/sandbox-client/control-api.ts):
// the answer's status and body, a refused connection and a server that never answers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { answeredOk, controlGet } from "../../program/sandbox-client/control-api.js";

let server: Server | undefined;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const open = server;
  server = undefined;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

describe("controlGet", () => {
  it("gives the status and the whole body", async () => {
    const base = await serve((req, res) => {
      res.writeHead(req.url === "/_zerostack/clock" ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: req.url, pad: "x".repeat(100_000) }));
    });
    const clock = await controlGet(`${base}/_zerostack/clock`, 2000);
    expect(answeredOk(clock)).toBe(true);
    expect(JSON.parse(clock.body)).toMatchObject({ url: "/_zerostack/clock" });
    expect(JSON.parse(clock.body).pad).toHaveLength(100_000);
    const missing = await controlGet(`${base}/_zerostack/nothing`, 2000);
    expect(missing.status).toBe(404);
    expect(answeredOk(missing)).toBe(false);
  });

  it("rejects, naming the URL, when the server does not answer in time", async () => {
    const base = await serve(() => {}); // accepts the request, never answers
    await expect(controlGet(`${base}/_zerostack/health`, 200)).rejects.toThrow(
      `${base}/_zerostack/health did not answer within 200 ms`,
    );
  });

  it("rejects when nothing listens", async () => {
    const base = await serve(() => {});
    const closed = server;
    server = undefined;
    await new Promise((resolve) => closed?.close(resolve));
    await expect(controlGet(`${base}/_zerostack/health`, 2000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
