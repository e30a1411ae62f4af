// Colours, or none: with NO_COLOR set (https://no-color.org) every colour is dropped and the
// screens still say everything through text, symbols, bold and inverse.
import { createContext, useContext } from "react";

export interface Theme {
  accent: string | undefined;
  ok: string | undefined;
  warn: string | undefined;
  error: string | undefined;
  dim: string | undefined;
  sandbox: string | undefined;
  /** asciichart's colour escape for the loss line, or none */
  chart: string | undefined;
}

const COLOURS: Theme = {
  accent: "cyan",
  ok: "green",
  warn: "yellow",
  error: "red",
  dim: "gray",
  sandbox: "yellow",
  chart: "\x1b[36m",
};
const NONE: Theme = {
  accent: undefined,
  ok: undefined,
  warn: undefined,
  error: undefined,
  dim: undefined,
  sandbox: undefined,
  chart: undefined,
};

export function themeFor(env: NodeJS.ProcessEnv): Theme {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return noColor ? NONE : COLOURS;
}

export const ThemeContext = createContext<Theme>(COLOURS);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Spinner frame from the shared tick's clock: no timer of its own. */
export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length] ?? "·";
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function usd(x: number | undefined): string {
  return x === undefined ? "—" : `$${x.toFixed(2)}`;
}
