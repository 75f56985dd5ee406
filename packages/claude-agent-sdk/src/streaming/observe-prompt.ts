/**
 * A streaming prompt (`AsyncIterable<SDKUserMessage>`, multi-turn input) seen as the SDK reads it: the iterable the
 * SDK gets yields the caller's own messages, unchanged and in step (each read is the caller's iterator's own
 * promise); each message is noted on the side for the trace's input.
 */
import type { QueryLog } from "../query-log.js";

export function observePrompt(prompt: AsyncIterable<unknown>, log: QueryLog): AsyncIterable<unknown> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<unknown> {
      const it = prompt[Symbol.asyncIterator]();
      const note = (r: IteratorResult<unknown>) => {
        if (!r.done) log.input(r.value);
      };
      return {
        next(...args: [] | [unknown]) {
          const p = it.next(...args);
          Promise.resolve(p).then(note, () => {});
          return p;
        },
        return: it.return ? (value?: unknown) => it.return!(value) : undefined,
        throw: it.throw ? (error?: unknown) => it.throw!(error) : undefined,
      };
    },
  };
}
