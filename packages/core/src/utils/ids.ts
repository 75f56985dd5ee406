import { logger } from "./logger.js";
import { describe } from "./unreadable.js";

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Random bytes for 128 ids, refilled from `crypto.getRandomValues` when used up. */
const POOL_BYTES = 16 * 128;
const HEX = new Uint8Array(16);
for (let i = 0; i < 16; i++) HEX[i] = "0123456789abcdef".charCodeAt(i);
/** Where each of the 16 bytes goes in the 36-character text (the hyphens sit at 8, 13, 18 and 23). */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

let pool: Uint8Array | undefined;
let used = POOL_BYTES;
let text: Uint8Array | undefined;
let decoder: { decode(bytes: Uint8Array): string } | undefined;

/**
 * A random UUID v4 (lower-case, hyphenated). Three are made per trace, so this builds one flat string
 * from pooled random bytes (what `crypto.randomUUID` does, minus the 20-piece string concatenation it
 * leaves for the garbage collector); `crypto.randomUUID` where `TextDecoder` is missing.
 */
export function newId(): string {
  if (!decoder) {
    if (typeof TextDecoder !== "function" || typeof globalThis.crypto?.getRandomValues !== "function")
      return globalThis.crypto.randomUUID();
    decoder = new TextDecoder("latin1");
    text = new Uint8Array(36);
    text[8] = text[13] = text[18] = text[23] = 45; // "-"
    pool = new Uint8Array(POOL_BYTES);
  }
  const bytes = pool!;
  if (used === POOL_BYTES) {
    globalThis.crypto.getRandomValues(bytes);
    used = 0;
  }
  const o = used;
  used += 16;
  bytes[o + 6] = (bytes[o + 6]! & 0x0f) | 0x40; // version 4
  bytes[o + 8] = (bytes[o + 8]! & 0x3f) | 0x80; // RFC 9562 variant
  const out = text!;
  for (let i = 0; i < 16; i++) {
    const b = bytes[o + i]!;
    const at = AT[i]!;
    out[at] = HEX[b >> 4]!;
    out[at + 1] = HEX[b & 15]!;
  }
  return decoder.decode(out);
}

/** A UUID in the lower-case hyphenated form (the OpenAPI `uuid` format); the backend would also take 32 hex digits. */
function canonicalUuid(id: string): string {
  // Already canonical (every LangChain run id, on every span): nothing to build.
  if (id.length === 36 && id === id.toLowerCase()) return id;
  const hex = id.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A caller's own trace or span id when it is a UUID, in the lower-case hyphenated form; otherwise a fresh id, with a
 * warning once per kind (the backend rejects anything else with a 422, which would lose the whole trace). No id
 * given: a fresh one.
 */
export function idOrNew(id: unknown, kind: "trace" | "span"): string {
  if (id === undefined || id === null) return newId();
  if (isUuid(id)) return canonicalUuid(id);
  logger.warnOnce(
    `id:${kind}`,
    `${kind}Id ${describe(id)} is not a UUID (the backend would reject the trace); a fresh id is used instead.`,
  );
  return newId();
}

/** True for a UUID in hyphenated or 32-hex form, as the backend accepts. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}
