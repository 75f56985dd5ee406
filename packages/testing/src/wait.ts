/** Event-driven waiting: resolve as soon as a condition holds, re-checked on every store/log event. */
import type { EventEmitter } from "node:events";

/**
 * Resolves with `check()`'s value once it is not undefined (checked now and after each `event`), or rejects after
 * `timeoutMs` with `describe()`'s message. Also rejects when `closeEvent` fires.
 */
export function waitUntil<T>(
  emitter: EventEmitter,
  event: string,
  check: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
  closeEvent = "close",
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      if (timer) clearTimeout(timer);
      emitter.off(event, onEvent);
      emitter.off(closeEvent, onClose);
    };
    const onEvent = (): void => {
      let value: T | undefined;
      try {
        value = check();
      } catch (error) {
        cleanup();
        reject(error);
        return;
      }
      if (value !== undefined) {
        cleanup();
        resolve(value);
      }
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`stand-in closed while waiting. ${describe()}`));
    };
    emitter.on(event, onEvent);
    emitter.on(closeEvent, onClose);
    timer = setTimeout(() => {
      cleanup();
      reject(new Error(describe()));
    }, timeoutMs);
    onEvent();
  });
}
