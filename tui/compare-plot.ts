// The Compare screen's overlaid loss plot, pure: x is the step (aligned across experiments), y the
// loss; each experiment draws its own marker, so the plot reads the same without colour.
// (The CLI draws the same plot from program/app/compare-table.ts; the TUI's first frame may load
// only the app contract, so this small twin lives here.)
import type { LossPoint } from "../program/app/contract.js";

export const MARKERS = ["*", "o", "x", "+", "#", "@", "%", "&"] as const;
export const markerOf = (i: number): string => MARKERS[i % MARKERS.length]!;

export function plotLines(series: ReadonlyArray<readonly LossPoint[]>, width: number, height: number): string[] {
  const points = series.flat();
  if (points.length === 0) return ["(no loss logged yet)"];
  const label = 7;
  const w = Math.max(10, width - label - 1);
  const h = Math.max(3, height - 1);
  const steps = points.map((p) => p.step);
  const values = points.map((p) => p.value);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...values), Math.max(...values)];
  const grid = Array.from({ length: h }, () => Array.from({ length: w }, () => " "));
  series.forEach((s, i) => {
    for (const p of s) {
      const col = x1 === x0 ? 0 : Math.round(((p.step - x0) / (x1 - x0)) * (w - 1));
      const row = y1 === y0 ? h - 1 : Math.round(((y1 - p.value) / (y1 - y0)) * (h - 1));
      grid[row]![col] = markerOf(i);
    }
  });
  const lines = grid.map((cells, r) => {
    const y = y1 === y0 ? y0 : y1 - ((y1 - y0) * r) / (h - 1);
    const axis = r === 0 || r === h - 1 ? y.toFixed(3).padStart(label) : "".padStart(label);
    return `${axis}|${cells.join("")}`.trimEnd();
  });
  const from = `step ${x0}`;
  lines.push(`${"".padStart(label)}+${from}${String(x1).padStart(Math.max(1, w - from.length))}`);
  return lines;
}
