// "90m", "2h", "1d", "1h30m" or plain seconds -> seconds; undefined when it is not a duration.
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) {
    total += Number(match[1]) * (UNIT_SECONDS[match[2] ?? "s"] ?? 1);
  }
  return Math.round(total);
}
