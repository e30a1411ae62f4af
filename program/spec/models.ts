// Model architecture numbers the memory and health-check math needs. Source: each model's
// config.json on the Hugging Face Hub (d_model/hidden_size, num_layers, num_heads,
// num_key_value_heads, vocab_size) and the parameter counts on the model cards, as of 2025-06.
// A spec stores these numbers itself, so a stack's plan never changes when this table does.
import type { ModelKind } from "./backends.js";

export interface ModelSizes {
  parameters: number;
  hidden: number;
  /** All transformer blocks (encoder + decoder for seq2seq). */
  layers: number;
  /** Blocks that keep a KV cache while generating. */
  decoderLayers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
}

export interface ModelEntry {
  kind: ModelKind;
  /** "hub": downloaded from the Hugging Face Hub; "config": built from a config by the payload. */
  source: "hub" | "config";
  /** The Hub asks for a token (licence acceptance) before download. */
  gated: boolean;
  sizes: ModelSizes;
}

export const MODELS = {
  "google/flan-t5-xxl": {
    kind: "seq2seq",
    source: "hub",
    gated: false,
    sizes: {
      parameters: 11_135_332_352,
      hidden: 4096,
      layers: 48,
      decoderLayers: 24,
      heads: 64,
      kvHeads: 64,
      headDim: 64,
      vocab: 32128,
    },
  },
  "google/flan-t5-xl": {
    kind: "seq2seq",
    source: "hub",
    gated: false,
    sizes: {
      parameters: 2_849_757_184,
      hidden: 2048,
      layers: 48,
      decoderLayers: 24,
      heads: 32,
      kvHeads: 32,
      headDim: 64,
      vocab: 32128,
    },
  },
  "meta-llama/Llama-3.1-8B": {
    kind: "causal",
    source: "hub",
    gated: true,
    sizes: {
      parameters: 8_030_261_248,
      hidden: 4096,
      layers: 32,
      decoderLayers: 32,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      vocab: 128256,
    },
  },
  "mistralai/Mistral-7B-v0.3": {
    kind: "causal",
    source: "hub",
    gated: true,
    sizes: {
      parameters: 7_248_023_552,
      hidden: 4096,
      layers: 32,
      decoderLayers: 32,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      vocab: 32768,
    },
  },
  // Built by payload/train from a T5 config with a byte-level vocabulary, so sandbox and CPU runs
  // download nothing; the numbers are the config the payload is asked to build.
  "zerostack/tiny-t5": {
    kind: "seq2seq",
    source: "config",
    gated: false,
    sizes: {
      parameters: 300_000,
      hidden: 64,
      layers: 4,
      decoderLayers: 2,
      heads: 4,
      kvHeads: 4,
      headDim: 16,
      vocab: 384,
    },
  },
} as const satisfies Record<string, ModelEntry>;

export type KnownModelId = keyof typeof MODELS;

export function knownModel(id: string): ModelEntry | undefined {
  return Object.hasOwn(MODELS, id) ? MODELS[id as KnownModelId] : undefined;
}
