import { isRecord } from "@pandaprobe/core/integration";

/**
 * Loose reads of `@mistralai/mistralai` objects (1.x and 2.x): the SDK turns Mistral's snake_case wire format into
 * camelCase objects whose fields differ between releases, so every field is optional and every read is checked.
 */
// biome-ignore lint/suspicious/noExplicitAny: SDK request and response shapes differ per release
export type Loose = Record<string, any>;

/** `isRecord`, typed for the loose reads of Mistral objects. */
export const isObject = (v: unknown): v is Loose => isRecord(v);

/** A method of the SDK that may carry our marker. */
// biome-ignore lint/suspicious/noExplicitAny: wraps any SDK method
export type AnyFn = (...args: any[]) => any;
