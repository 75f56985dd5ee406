/**
 * The SDK's one logger. Debug output only when `debug` / `PANDAPROBE_DEBUG` is on; warnings always,
 * with `warnOnce` collapsing repeats of a kind into a single line.
 */
export interface LoggerSink {
  debug(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

const PREFIX = "[pandaprobe]";
const warnedKeys = new Map<string, number>();
let debugEnabled = false;
let sink: LoggerSink = {
  debug: (m, ...a) => console.debug(m, ...a),
  warn: (m, ...a) => console.warn(m, ...a),
  error: (m, ...a) => console.error(m, ...a),
};

export const logger = {
  /** Debug output, silent unless debug is enabled. */
  debug(message: string, ...args: unknown[]): void {
    if (debugEnabled) sink.debug(`${PREFIX} ${message}`, ...args);
  },
  warn(message: string, ...args: unknown[]): void {
    sink.warn(`${PREFIX} ${message}`, ...args);
  },
  /** Warns the first time `key` is seen; later calls only count (see `warnCounts()`). */
  warnOnce(key: string, message: string, ...args: unknown[]): void {
    const n = warnedKeys.get(key) ?? 0;
    warnedKeys.set(key, n + 1);
    if (n === 0) sink.warn(`${PREFIX} ${message}`, ...args);
  },
  error(message: string, ...args: unknown[]): void {
    sink.error(`${PREFIX} ${message}`, ...args);
  },
  /** How many times each `warnOnce` key was hit. */
  warnCounts(): Record<string, number> {
    return Object.fromEntries(warnedKeys);
  },
  /** Replaces the output sink (tests, or routing to your own logger). Returns the previous one. */
  setSink(next: LoggerSink): LoggerSink {
    const prev = sink;
    sink = next;
    return prev;
  },
  setDebug(on: boolean): void {
    debugEnabled = on;
  },
  get debugEnabled(): boolean {
    return debugEnabled;
  },
  /** Forgets which `warnOnce` keys were seen (tests). */
  resetOnce(): void {
    warnedKeys.clear();
  },
};
