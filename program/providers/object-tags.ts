// The object tags that S3 lifecycle rules select on. S3 lifecycle filters take a key prefix and
// object tags, never a wildcard in the middle of a key, so `<prefix>/*\/source/` cannot be a
// filter: uploads of bundles carry this tag instead, and the base stack's expiry rules
// (program/base/bucket-rules.ts) select on it within the prefix.

export const OBJECT_KIND_TAG = "zerostack:object";
export const OBJECT_KINDS = { sourceBundle: "source-bundle", servingCode: "serving-code" } as const;
export type ObjectKind = (typeof OBJECT_KINDS)[keyof typeof OBJECT_KINDS];

/** The `Tagging` parameter of PutObject for an upload of this kind (URL-encoded query form). */
export function objectTagging(kind: ObjectKind): string {
  return `${encodeURIComponent(OBJECT_KIND_TAG)}=${encodeURIComponent(kind)}`;
}
