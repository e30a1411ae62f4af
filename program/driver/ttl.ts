// When an endpoint's TTL ends. Kept in the stack config so every `up` keeps the same deadline
// (a re-run must not extend it by accident); a changed TTL or `extend` sets a new one.
export interface TtlState {
  ttlSeconds: number;
  expiresAt: string;
}

export function nextTtl(previous: TtlState | undefined, ttlSeconds: number, now: Date, extend = false): TtlState {
  const fresh = { ttlSeconds, expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() };
  if (!previous || extend || previous.ttlSeconds !== ttlSeconds) return fresh;
  // a deadline that has passed (the endpoint is gone) starts over with the next endpoint
  return Date.parse(previous.expiresAt) > now.getTime() ? previous : fresh;
}
