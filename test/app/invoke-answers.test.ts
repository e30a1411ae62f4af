// The answers the LMI images' built-in handlers give (test/payload/handler_responses.json, each with
// its djl-serving source; test/payload/test_builtin_handlers.py checks the stand-ins answer the
// same) are what program/app/invoke.ts reads the generated text from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerText } from "../../program/app/invoke.js";

const RESPONSES = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "payload", "handler_responses.json"), "utf8"),
) as Array<{
  handler: string;
  body: string;
}>;

describe("answerText on every built-in handler's answer", () => {
  it.each(RESPONSES.map((r) => [r.handler, r.body]))("%s", (_handler, body) => {
    expect(answerText(body)).toBe("the summary");
  });

  it("a body without generated_text is not mistaken for one", () => {
    expect(answerText('{"error": "boom"}')).toBe('{"error":"boom"}');
  });
});
