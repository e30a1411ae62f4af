// Captures what the CLI writes: the command frame (program/cli/command-frame.ts) writes to process.stdout/stderr directly.
import { vi } from "vitest";

export interface Captured {
  stdout: string;
  stderr: string;
  restore(): void;
}

export function captureOutput(): Captured {
  const captured: Captured = {
    stdout: "",
    stderr: "",
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    captured.stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    captured.stderr += String(chunk);
    return true;
  });
  return captured;
}
