/** UUID parsing with the backend's leniency: hyphenated, 32 hex digits, `urn:uuid:` prefix or braces. */

export type UuidResult = { ok: true; uuid: string } | { ok: false; reason: string };

/** Parses a UUID string; on success returns the canonical lower-case hyphenated form. */
export function parseUuid(value: unknown): UuidResult {
  if (typeof value !== "string") return { ok: false, reason: "UUID input should be a string, bytes or UUID object" };
  let text = value;
  if (/^urn:uuid:/i.test(text)) text = text.slice(9);
  if (text.startsWith("{") && text.endsWith("}")) text = text.slice(1, -1);
  const hex = text.includes("-")
    ? /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
      ? text.replace(/-/g, "")
      : null
    : /^[0-9a-f]{32}$/i.test(text)
      ? text
      : null;
  if (!hex) {
    const bad = /[^0-9a-fA-F-]/.exec(text);
    return {
      ok: false,
      reason: bad
        ? `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${bad[0]}\` at ${bad.index + 1}`
        : `invalid group count or length: found ${text.length} characters`,
    };
  }
  const h = hex.toLowerCase();
  return { ok: true, uuid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` };
}

/** Canonical form of an id already validated by the schema. */
export function canonicalUuid(value: string): string {
  const parsed = parseUuid(value);
  return parsed.ok ? parsed.uuid : value;
}
