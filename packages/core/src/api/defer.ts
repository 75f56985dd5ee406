import type { PandaProbe } from "../client/client.js";
import { deferRecordingFor } from "../tracing/finalizer.js";
import { sinkOf } from "./client-of.js";

/**
 * For integration authors: runs `fn` off the caller's path, batched with other recordings: within about 100 ms (at
 * once when 32 are waiting, on the caller's path when 1,024 are: a synchronous burst never queues closures without
 * bound), and always before `flush()`, `shutdown()`, `stats()` or process exit send anything. A batch runs with its
 * code and data warm, several times cheaper than one job after each call. Keep `fn` synchronous: it runs outside any
 * trace, span, user or session, and framework resolvers are not consulted (jobs from many requests share one batch),
 * so read what you need from the context when the call happens and pass it explicitly; copy what the caller may
 * change before the batch runs. An `fn` that throws is reported like any instrumentation error and counted as a lost
 * recording (`recording_failed`) on `client` (default: the global client), never re-thrown.
 */
export function deferRecording(fn: () => void, client?: PandaProbe): void {
  if (typeof fn !== "function") return;
  deferRecordingFor(fn, sinkOf(client, "deferRecording"));
}
