import { isLoose, type Loose } from "@pandaprobe/core/integration";
/**
 * Content blocks as they may be recorded: never base64 bytes (images, PDFs, files fetched by a server tool), never
 * encrypted or signed payloads (thinking signatures, web search `encrypted_content`), which are opaque and large.
 */

/** Keys whose values are opaque (encrypted or signed) and dropped wherever they appear. */
const OPAQUE = new Set(["signature", "encrypted_content", "encrypted_index", "encrypted_stdout", "encrypted_data"]);
/** How deep blocks are walked: content blocks nest a few levels (tool result > document > source). */
const MAX_DEPTH = 8;

/** The placeholder that stands for base64 data: its type and size, never the bytes. */
export function base64Placeholder(mediaType: unknown, data: string): string {
  const kind = typeof mediaType === "string" && mediaType ? mediaType : "binary";
  return `[${kind}, ${Math.round((data.length * 3) / 4)} bytes base64, not recorded]`;
}

/**
 * A copy of `value` fit to record, or `value` itself when it holds nothing to remove (no copy for plain text):
 * base64 sources (`{ type: "base64", data }`, `data:` URLs) become a placeholder, opaque keys are dropped.
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const clean = scrub(item, depth + 1);
      if (clean !== item) (out ??= value.slice())[i] = clean;
    }
    return out ?? value;
  }
  if (!isLoose(value)) return value;
  let out: Loose | undefined;
  for (const key in value) {
    const item = value[key];
    let clean: unknown;
    if (OPAQUE.has(key)) clean = undefined;
    else if (key === "data" && typeof item === "string" && value.type === "base64")
      clean = base64Placeholder(value.media_type, item);
    else if (key === "url" && typeof item === "string" && item.startsWith("data:")) {
      const semi = item.indexOf(";");
      clean = base64Placeholder(semi > 5 ? item.slice(5, semi) : undefined, item);
    } else clean = scrub(item, depth + 1);
    if (clean === item) continue;
    out ??= { ...value };
    if (clean === undefined) delete out[key];
    else out[key] = clean;
  }
  return out ?? value;
}
