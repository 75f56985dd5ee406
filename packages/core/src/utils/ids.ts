const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A random UUID v4 (lower-case, hyphenated). */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** True for a UUID in hyphenated or 32-hex form, as the backend accepts. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}
