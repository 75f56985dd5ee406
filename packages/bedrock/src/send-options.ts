/**
 * Per-call options. AWS commands have no request-options object of their own: the only per-call argument is
 * `client.send(command, options)`, the SDK's `HttpHandlerOptions` (`abortSignal`, `requestTimeout`), which it hands
 * to the HTTP handler and to no middleware. So `wrapBedrock` also replaces `send` on the client instance with a
 * function that, before calling the SDK's own `send` with the same arguments:
 * - notes the options object for the command, where the tracing middleware picks it up (its `withPandaProbe()`
 *   options, and its `abortSignal`, which tells an aborted stream from a failed one);
 * - passes on a copy without PandaProbe's key when `withPandaProbe()` added one (without any options at all when
 *   that was all there was), so the SDK, its handler cache and the wire see exactly what they would without it.
 */
import { type Loose, patchMethod, readCallOptions, reportError } from "@pandaprobe/core/integration";
import type { CallOptions } from "@pandaprobe/core";

/** The `send` options of commands being sent, until the tracing middleware takes them (synchronously, in `send`). */
const pending = new WeakMap<object, object>();

const UNCHANGED = Symbol("unchanged");

type Send = (this: unknown, command: unknown, optionsOrCb?: unknown, cb?: unknown) => unknown;

/** Replaces `client.send` (a hidden own property shadowing the prototype's) once. */
export function patchSend(client: Loose): void {
  patchMethod("bedrock", client, "send", (original) => {
    const send = original as Send;
    return function (this: unknown, command: unknown, optionsOrCb?: unknown, cb?: unknown) {
      let options: unknown = UNCHANGED;
      if (typeof optionsOrCb === "object" && optionsOrCb !== null && typeof command === "object" && command !== null) {
        try {
          pending.set(command, optionsOrCb);
          if (readCallOptions(optionsOrCb) !== undefined) options = withoutSymbols(optionsOrCb);
        } catch (error) {
          reportError("bedrock.send", error);
        }
      }
      if (options === UNCHANGED) return send.apply(this, arguments as unknown as Parameters<Send>);
      return arguments.length > 2 ? send.call(this, command, options, cb) : send.call(this, command, options);
    };
  });
}

/** The options `send` was given for `command` (taken once: a command sent again has options of its own). */
export function takeSendOptions(command: unknown): { own?: CallOptions; signal?: AbortSignal } | undefined {
  if (typeof command !== "object" || command === null) return undefined;
  const options = pending.get(command);
  if (options === undefined) return undefined;
  pending.delete(command);
  const signal = (options as { abortSignal?: unknown }).abortSignal;
  return {
    own: readCallOptions(options),
    signal: typeof signal === "object" && signal !== null && "aborted" in signal ? (signal as AbortSignal) : undefined,
  };
}

/** A copy of `options` with its string keys only (what the SDK reads); undefined when it has none. */
function withoutSymbols(options: object): object | undefined {
  const keys = Object.keys(options);
  if (keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = (options as Record<string, unknown>)[key];
  return out;
}
