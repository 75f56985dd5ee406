/** Small value helpers shared by the adapters. */

export function wrapMessages(messages: unknown[] | undefined): { messages: unknown[] } | undefined {
  return messages ? { messages } : undefined;
}

export function asList<T>(x: T | undefined): T[] | undefined {
  return x === undefined ? undefined : [x];
}

/** A summary of embeddings without the vectors. */
export function embeddingSummary(embeddings: unknown): Record<string, number> | undefined {
  if (!Array.isArray(embeddings)) return undefined;
  const first = embeddings[0];
  if (typeof first === "number") return { embeddings: 1, dimensions: embeddings.length };
  return { embeddings: embeddings.length, dimensions: Array.isArray(first) ? first.length : 0 };
}

/** `record` without undefined/null/"" values; undefined when nothing is left. */
export function clean<T extends Record<string, unknown>>(record: T): T | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in record) {
    const v = record[k];
    if (v !== undefined && v !== null && v !== "") (out ??= {})[k] = v;
  }
  return out as T | undefined;
}

export function errorText(x: unknown): string {
  if (x instanceof Error) return x.message || x.name;
  return typeof x === "string" ? x : String(x);
}
