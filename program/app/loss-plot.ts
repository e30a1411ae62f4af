// The overlaid loss plot of Compare, pure and dependency-free (the TUI draws it too, and its first
// frame may load only light modules): x is the step, aligned across experiments; y the loss; each
// experiment draws its own marker, so the plot reads the same without colour.
export interface LossPoint {
  step: number;
  value: number;
}

export const MARKERS = ["*", "o", "x", "+", "#", "@", "%", "&"] as const;
export const markerOf = (i: number): string => MARKERS[i % MARKERS.length]!;

/**
 * Loss curves overlaid on one plot, aligned on step: x is the step (first to last of all series),
 * y the loss; each series draws its marker (a later series wins a shared cell). Returns the plot's
 * lines, the y labels on the left and the step range below.
 */
export function plotSeries(
  series: ReadonlyArray<readonly LossPoint[]>,
  opts: { width: number; height: number },
): string[] {
  const points = series.flat();
  if (points.length === 0) return ["(no loss logged yet)"];
  const label = 8;
  const width = Math.max(10, opts.width - label - 1);
  const height = Math.max(3, opts.height - 1);
  const steps = points.map((p) => p.step);
  const vals = points.map((p) => p.value);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...vals), Math.max(...vals)];
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => " "));
  series.forEach((s, i) => {
    for (const p of s) {
      const col = x1 === x0 ? 0 : Math.round(((p.step - x0) / (x1 - x0)) * (width - 1));
      const row = y1 === y0 ? height - 1 : Math.round(((y1 - p.value) / (y1 - y0)) * (height - 1));
      grid[row]![col] = markerOf(i);
    }
  });
  const lines = grid.map((cells, r) => {
    const y = y1 === y0 ? y0 : y1 - ((y1 - y0) * r) / (height - 1);
    const axis =
      r === 0 || r === height - 1 || r === Math.floor(height / 2) ? y.toFixed(3).padStart(label) : "".padStart(label);
    return `${axis}|${cells.join("")}`.trimEnd();
  });
  const from = `step ${x0}`;
  const to = `${x1}`;
  lines.push(`${"".padStart(label)}+${from}${to.padStart(Math.max(1, width - from.length))}`);
  return lines;
}

/** `* g-z2-n1  o g-z3-n1 ...`: which marker is which experiment. */
export function legend(stacks: readonly string[]): string {
  return stacks.map((s, i) => `${markerOf(i)} ${s}`).join("  ");
}
