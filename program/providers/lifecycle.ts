// The lifecycle every SageMaker object shares: find-or-create (adopt what a killed run left),
// wait with backoff until a status settles, surface FailureReason, wait until gone on delete.
import type { Tag } from "@aws-sdk/client-sagemaker";

export const SPEC_HASH_TAG = "zerostack:spec-hash";

/** SageMaker's "no such object" answers (ValidationException / ResourceNotFound with that text). */
export function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const name = (error as { name?: string }).name ?? "";
  return (
    name === "ResourceNotFound" ||
    name === "ResourceNotFoundException" ||
    /could not find|does not exist|not found/i.test(error.message)
  );
}

export function toTagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Key, Value]) => ({ Key, Value }));
}

export function tagValue(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/** The answer of a Describe call, or undefined when the object does not exist. */
export async function orMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Deletes an object (gone already is fine) and waits until Describe no longer finds it. */
export async function deleteAndWait(
  what: string,
  remove: () => Promise<unknown>,
  describe: () => Promise<unknown>,
  timeoutSeconds: number,
): Promise<void> {
  if ((await orMissing(remove)) === undefined) return;
  await waitUntilGone(what, describe, timeoutSeconds);
}

/** An object that exists under our deterministic name but was made from another spec. */
export class ForeignObjectError extends Error {
  constructor(kind: string, name: string, found: string | undefined, wanted: string) {
    super(
      `${kind} ${name} already exists with ${SPEC_HASH_TAG}=${found ?? "(none)"}, not ${wanted}: ` +
        `it was not made by this experiment's spec. Delete it or choose another experiment name.`,
    );
    this.name = "ForeignObjectError";
  }
}

export interface WaitOptions<T> {
  what: string;
  describe: () => Promise<T>;
  /** true when the wait is over (success). */
  done: (value: T) => boolean;
  /** a failure reason when the object reached a failed state. */
  failed?: (value: T) => string | undefined;
  timeoutSeconds: number;
  /** the object's status in words, named by the timeout message (e.g. `Creating`, `InProgress/Training`). */
  status?: (value: T) => string | undefined;
  onProgress?: (value: T) => void;
  /** first poll interval; doubles to `maxIntervalMs`. */
  intervalMs?: number;
  maxIntervalMs?: number;
}

export async function waitUntil<T>(opts: WaitOptions<T>): Promise<T> {
  const deadline = Date.now() + opts.timeoutSeconds * 1000;
  let interval = opts.intervalMs ?? pollIntervalMs();
  const maxInterval = opts.maxIntervalMs ?? Math.max(interval, maxPollIntervalMs());
  for (;;) {
    const value = await opts.describe();
    opts.onProgress?.(value);
    const reason = opts.failed?.(value);
    if (reason !== undefined) throw new Error(`${opts.what} failed: ${reason}`);
    if (opts.done(value)) return value;
    if (Date.now() + interval > deadline) {
      const last = opts.status?.(value);
      throw new Error(
        `${opts.what}: still not done after ${opts.timeoutSeconds}s${last ? ` (last status ${last})` : ""}; ` +
          "run `zerostack up` again to keep waiting",
      );
    }
    await new Promise((r) => setTimeout(r, interval));
    interval = Math.min(interval * 2, maxInterval);
  }
}

/** Waits until describe() answers "not found". */
export async function waitUntilGone(
  what: string,
  describe: () => Promise<unknown>,
  timeoutSeconds: number,
): Promise<void> {
  await waitUntil({
    what: `deleting ${what}`,
    describe: async () => {
      try {
        await describe();
        return false;
      } catch (error) {
        if (isNotFound(error)) return true;
        throw error;
      }
    },
    done: (gone) => gone,
    status: () => "still exists",
    timeoutSeconds,
  });
}

// Against the emulator poll fast; against AWS, politely.
function pollIntervalMs(): number {
  return Number(process.env.ZEROSTACK_POLL_MS ?? (process.env.AWS_ENDPOINT_URL ? 250 : 5000));
}
function maxPollIntervalMs(): number {
  return process.env.AWS_ENDPOINT_URL ? 1000 : 30000;
}

/**
 * An object already exists under our deterministic name (a killed `up` created it): adopt it if
 * its spec-hash tag is ours, refuse otherwise.
 */
export async function adoptIfOurs(
  kind: string,
  name: string,
  arn: string,
  tags: Record<string, string>,
  listTags: (arn: string) => Promise<Tag[] | undefined>,
): Promise<void> {
  const wanted = tags[SPEC_HASH_TAG] ?? "";
  const found = tagValue(await listTags(arn), SPEC_HASH_TAG);
  if (found !== wanted) throw new ForeignObjectError(kind, name, found, wanted);
}

/** Changed input fields between the stored outputs and the new inputs. */
export function changedFields<I extends object>(
  olds: Partial<I>,
  news: I,
  fields: readonly (keyof I)[],
): (keyof I & string)[] {
  return fields.filter((f) => JSON.stringify(olds[f]) !== JSON.stringify(news[f])) as (keyof I & string)[];
}

/** Tag changes are applied in place (AddTags/DeleteTags); they never replace an object. */
export async function updateTags(
  arn: string,
  olds: Record<string, string>,
  news: Record<string, string>,
  send: {
    add: (arn: string, tags: Tag[]) => Promise<unknown>;
    remove: (arn: string, keys: string[]) => Promise<unknown>;
  },
): Promise<void> {
  const removed = Object.keys(olds).filter((k) => !(k in news));
  const changed = Object.fromEntries(Object.entries(news).filter(([k, v]) => olds[k] !== v));
  if (removed.length > 0) await send.remove(arn, removed);
  if (Object.keys(changed).length > 0) await send.add(arn, toTagList(changed));
}

/** Diff of an immutable SageMaker object: any input but the tags replaces it; tags update in place. */
export function immutableDiff<I extends { name: string; tags: Record<string, string> }>(
  olds: I,
  news: I,
  fields: readonly (keyof I)[],
) {
  const replaces = changedFields(
    olds,
    news,
    fields.filter((f) => f !== "tags"),
  );
  const tagsChanged = changedFields(olds, news, ["tags"] as (keyof I)[]).length > 0;
  return { changes: replaces.length > 0 || tagsChanged, replaces, deleteBeforeReplace: olds.name === news.name };
}
