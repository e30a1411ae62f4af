// GETs of the sandbox's own control routes (/_zerostack/health, /clock, /state) with node:http.
// Not fetch: Node loads fetch's engine (undici, its HTTP parser a WebAssembly module) on the first
// call, ~50 ms of every command's start, for three loopback requests that need none of it.
import { get } from "node:http";

export interface ControlAnswer {
  status: number;
  body: string;
}

/** One GET of `url`; rejects on a connection error or when no answer is in within `timeoutMs`. */
export function controlGet(url: string, timeoutMs: number): Promise<ControlAnswer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${url} did not answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

export const answeredOk = (answer: ControlAnswer) => answer.status >= 200 && answer.status < 300;
