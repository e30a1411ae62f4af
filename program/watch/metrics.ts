// Metrics from Hugging Face Trainer log lines, e.g.
//   {'loss': 1.2345, 'grad_norm': 0.5, 'learning_rate': 0.0001, 'epoch': 0.5}
//   {'eval_loss': 1.1, 'eval_runtime': 2.0, 'epoch': 1.0}
//   {'loss': '34', 'learning_rate': '0.001', 'epoch': '0.2'}      (transformers 5 quotes values)
// Pure: a line in, the metrics it carries out. The Trainer logs on world rank 0 only.
export interface ParsedMetrics {
  values: Record<string, number>;
}

const DICT = /\{('[a-z_]+':\s*'?[-+0-9.eE]+'?(?:,\s*)?)+\}/;
const PAIR = /'([a-z_]+)':\s*'?([-+]?[0-9.]+(?:[eE][-+]?\d+)?)'?/g;

export const TRACKED = ["loss", "learning_rate", "epoch", "eval_loss", "grad_norm", "train_loss"] as const;

export function parseMetricLine(line: string): ParsedMetrics | undefined {
  const dict = DICT.exec(line)?.[0];
  if (!dict) return undefined;
  const values: Record<string, number> = {};
  for (const [, key, raw] of dict.matchAll(PAIR)) {
    const value = Number(raw);
    if (key && Number.isFinite(value) && (TRACKED as readonly string[]).includes(key)) values[key] = value;
  }
  return Object.keys(values).length > 0 ? { values } : undefined;
}

/** Numbers the loss lines of one run: step n is the n-th logged training loss. */
export class MetricCounter {
  /** `from`: loss lines numbered already (a watermark resumes where the last stream stopped) */
  constructor(private step = 0) {}
  get steps(): number {
    return this.step;
  }
  next(parsed: ParsedMetrics): { step: number; values: Record<string, number> } {
    if ("loss" in parsed.values) this.step += 1;
    return { step: this.step, values: parsed.values };
  }
}
