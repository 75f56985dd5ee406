/** Minimal shapes of the Node socket/Buffer APIs the lean HTTP client uses (found at run time). */
export interface Bytes {
  readonly length: number;
  indexOf(value: string, from: number, encoding: "latin1"): number;
  toString(encoding: "latin1" | "utf8", start?: number, end?: number): string;
  subarray(start: number, end?: number): Bytes;
  write(s: string, offset: number, length: number, encoding: "latin1" | "utf8"): number;
  [index: number]: number;
}
export interface BufferCtor {
  concat(list: Bytes[], total?: number): Bytes;
  byteLength(s: string, encoding: "utf8"): number;
  allocUnsafe(size: number): Bytes;
}
export interface Sock {
  readonly destroyed: boolean;
  on(event: string, fn: (arg: never) => void): unknown;
  write(data: Bytes): boolean;
  destroy(): void;
  pause(): unknown;
  resume(): unknown;
  ref(): unknown;
  unref(): unknown;
  setNoDelay(on: boolean): unknown;
}
export type Connect = (options: Record<string, unknown>) => Sock;
/** Opens a socket whose received bytes go to `onData`; `shared` means the bytes are in a reused read buffer. */
export type Open = (onData: (chunk: Bytes) => void) => { socket: Sock; shared: boolean };

export function builtin<T>(id: string): T | undefined {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    return proc?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}
