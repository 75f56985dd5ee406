/**
 * Helpers every fake provider server in the packages' `test/support` uses (a fake OpenAI, Anthropic, Mistral,
 * Gemini or Bedrock API on 127.0.0.1), and the one every suite uses to read a stream.
 */
import type { IncomingHttpHeaders } from "node:http";
import { performance } from "node:perf_hooks";

/**
 * Waits `ms` to within microseconds, yielding to the event loop meanwhile (a 1 ms timer fires anywhere between 1
 * and 2 ms later, which would blur a benchmark's per-call timings). The fake servers' `latencyMs`.
 */
export function preciseDelay(ms: number): Promise<void> {
  const until = performance.now() + ms;
  return new Promise((resolve) => {
    const spin = () => (performance.now() >= until ? resolve() : setImmediate(spin));
    spin();
  });
}

/**
 * The status a fake server fails this request with, if any: a request with `x-fake-fail: <status>x<count>` fails
 * with `<status>` the first `<count>` times (every time with `*`), counted per `x-fake-id` (else per spec) in
 * `failures`. Lets a test script an outage and the client's own retries.
 */
export function scriptedFailure(headers: IncomingHttpHeaders, failures: Map<string, number>): number | undefined {
  const spec = headers["x-fake-fail"];
  if (typeof spec !== "string") return undefined;
  const [status, count] = spec.split("x");
  const key = String(headers["x-fake-id"] ?? spec);
  const done = failures.get(key) ?? 0;
  if (count !== "*" && done >= Number(count)) return undefined;
  failures.set(key, done + 1);
  return Number(status);
}

/** Reads a stream to its end: every item, in order. */
export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
