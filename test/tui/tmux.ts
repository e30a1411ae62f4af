// A real terminal for the TUI: a tmux server of our own (its own socket, killed after), an
// 80x24 window, keys in, the screen out.
import { execFileSync } from "node:child_process";

export interface Terminal {
  keys(...keys: string[]): void;
  text(literal: string): void;
  screen(): string;
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function hasTmux(): boolean {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function openTerminal(command: string, env: Record<string, string>, size = { columns: 80, rows: 24 }): Terminal {
  const socket = `zerostack-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) =>
    execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  const exports = Object.entries(env)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(" ");
  tmux(
    "new-session",
    "-d",
    "-s",
    "t",
    "-x",
    String(size.columns),
    "-y",
    String(size.rows),
    `env ${exports} ${command}; echo "[exited $?]"; sleep 600`,
  );
  const screen = () => tmux("capture-pane", "-p", "-t", "t");
  return {
    keys: (...keys) => void tmux("send-keys", "-t", "t", ...keys),
    text: (literal) => void tmux("send-keys", "-t", "t", "-l", literal),
    screen,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < deadline) {
        last = screen();
        if (typeof pattern === "string" ? last.includes(pattern) : pattern.test(last)) return last;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`timed out waiting for ${String(pattern)}; the screen:\n${last}`);
    },
    close() {
      try {
        tmux("kill-server");
      } catch {
        // already gone
      }
    },
  };
}
