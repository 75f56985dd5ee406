/** Per-call PandaProbe options carried on the OpenAI request options under a symbol key. */
import type { OpenAICallOptions } from "./types.js";
import { isObject } from "./shapes.js";

/** Symbol key under which `withPandaProbe` stores per-call options (shared by every copy of this package). */
const CALL_OPTIONS = Symbol.for("pandaprobe.openai.callOptions");

/**
 * Attaches PandaProbe options to one OpenAI call, without touching what is sent to OpenAI:
 * `client.chat.completions.create(params, withPandaProbe({ userId: "u1" }, { timeout: 5000 }))`.
 *
 * Returns a shallow copy of `requestOptions` (never mutated) with the options under a symbol key,
 * which the OpenAI SDK ignores when it builds the HTTP request. Convenience methods (`parse`,
 * `.stream()`, `runTools`) forward request options, so it works with them too.
 */
export function withPandaProbe<R extends object = Record<string, never>>(
  options: OpenAICallOptions,
  requestOptions?: R,
): R {
  return { ...(requestOptions ?? ({} as R)), [CALL_OPTIONS]: options } as R;
}

/** Reads per-call options from OpenAI request options (a plain object; promises are skipped). */
export function readCallOptions(requestOptions: unknown): OpenAICallOptions | undefined {
  if (!isObject(requestOptions)) return undefined;
  const value = requestOptions[CALL_OPTIONS as unknown as string];
  return isObject(value) ? (value as OpenAICallOptions) : undefined;
}

/** The convenience method that issued the call (`chat.completions.parse`, `stream`, ...), if any. */
export function readHelperMethod(requestOptions: unknown): string | undefined {
  if (!isObject(requestOptions)) return undefined;
  const fromMetadata = requestOptions.__metadata?.helperMethod; // openai 7
  if (typeof fromMetadata === "string") return fromMetadata;
  const headers = requestOptions.headers; // openai 4 to 6 (plain object headers)
  if (isObject(headers) && typeof headers.get !== "function") {
    const h = headers["X-Stainless-Helper-Method"] ?? headers["x-stainless-helper-method"];
    if (typeof h === "string") return h;
  }
  return undefined;
}
