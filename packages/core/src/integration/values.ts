/** Small value helpers every integration needs when it reads a framework's events. */

/** A plain object (not null, not an array): the check before reading fields of a framework's event. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A record read loosely: what a wrapper reads from a provider SDK's objects, whose fields differ per release. Every
 * field is `any` so that nested reads stay short; each value is checked before use.
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK shapes differ per release; every read is checked
export type Loose = Record<string, any>;

/** `isRecord`, typed for loose reads (`Loose`). */
export const isLoose = (value: unknown): value is Loose => isRecord(value);

/** Any function: an SDK method being wrapped. */
// biome-ignore lint/suspicious/noExplicitAny: wraps any SDK method
export type AnyFn = (...args: any[]) => any;

/**
 * The parsed value of a JSON string (tool arguments, OpenTelemetry attributes), else the value itself, unchanged.
 * With `structuredOnly`, only text that looks like an object or array is parsed (a tool's plain-text argument
 * `"42"` stays the string it was).
 */
export function parseJsonOrRaw(value: unknown, options?: { structuredOnly?: boolean }): unknown {
  if (typeof value !== "string") return value;
  if (options?.structuredOnly) {
    const c = value.trimStart()[0];
    if (c !== "{" && c !== "[") return value;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** What a span records of embeddings: how many and their size, never the vectors. */
export interface EmbeddingsSummary {
  embeddings: number;
  /** The length of the first vector, when it can be read (absent for base64-encoded vectors). */
  dimensions?: number;
}

/**
 * `{ embeddings, dimensions }` of one vector or a list of them, as frameworks return them: numbers, typed arrays,
 * OpenAI's `{ embedding }` items or JSON text (OpenTelemetry attributes). Undefined when `value` is none of these.
 */
export function summarizeEmbeddings(value: unknown): EmbeddingsSummary | undefined {
  if (!Array.isArray(value)) return undefined;
  if (typeof value[0] === "number") return { embeddings: 1, dimensions: value.length };
  const out: EmbeddingsSummary = { embeddings: value.length };
  let first = parseJsonOrRaw(value[0]);
  if (isRecord(first) && "embedding" in first) first = first.embedding;
  if (Array.isArray(first) || ArrayBuffer.isView(first)) out.dimensions = (first as ArrayLike<unknown>).length;
  return out;
}

/** `record` without its undefined, null and empty-string values; undefined when nothing is left. */
export function compact<T extends Record<string, unknown>>(record: T): T | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in record) {
    const value = record[key];
    if (value !== undefined && value !== null && value !== "") (out ??= {})[key] = value;
  }
  return out as T | undefined;
}
