// Names, tags and the object-tag contract of the base stack's objects.
import { TAG_KEYS } from "../spec/tags.js";
import type { BaseConfig } from "./config.js";

export const BASE_STACK = "base";
/** The one stack config value holding the BaseConfig as JSON. */
export const BASE_CONFIG_KEY = "zerostack:base";

/** Tag value of `zerostack:component` on each object of the base stack. */
export type BaseComponent = "bucket" | "execution-role" | "scheduler-role";
export const COMPONENT_TAG = "zerostack:component";

export function baseTags(config: BaseConfig, component: BaseComponent): Record<string, string> {
  return { ...config.tags, [TAG_KEYS.stack]: BASE_STACK, [COMPONENT_TAG]: component };
}

/** A bucket name that is unique per account and region and says whose it is. */
export function defaultBucketName(accountId: string, region: string): string {
  return `zerostack-${accountId}-${region}`;
}

export function executionRoleName(region: string): string {
  return `zerostack-sagemaker-execution-${region}`;
}

export function schedulerRoleName(region: string): string {
  return `zerostack-scheduler-${region}`;
}
