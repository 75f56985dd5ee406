/** Authentication and project resolution (§1): status codes and detail strings exactly as the backend's. */
import { createHash } from "node:crypto";
import type { ApiKeySpec } from "./types.js";

export const MISSING_CREDENTIALS =
  "Missing credentials. Provide Authorization: Bearer <token> (with X-Project-ID) or X-API-Key header.";
export const INVALID_KEY = "Invalid or revoked API key.";
export const EXPIRED_KEY = "API key has expired. Please generate a new one.";
export const PROJECT_SCOPE_REQUIRED =
  "Project scope required. Provide X-Project-ID (Bearer) or X-Project-Name (API key).";
export const PROJECT_NAME_TOO_LONG = "X-Project-Name must be at most 255 characters.";
export const PROJECT_NAME_INVALID =
  "X-Project-Name must start and end with a letter or digit and contain only letters, digits, spaces, " +
  "hyphens, underscores, dots, or apostrophes.";
/** The stand-in does not verify JWTs: any Bearer-only request is rejected with this (approximation). */
export const INVALID_BEARER = "Invalid or expired token.";

const DEV_ORGANIZATION = "org-dev";
const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9 _.'-]*[A-Za-z0-9])?$/;

export type AuthResult =
  | { ok: true; organization: string; projectName: string }
  | { ok: false; status: number; detail: string };

type Headers = Record<string, string>;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The rate-limit key: hash of the Bearer token, else of X-API-Key, else the client address (slowapi). */
export function credentialKey(headers: Headers, remoteAddress: string): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "");
  if (bearer) return `bearer:${sha256(bearer[1].trim())}`;
  if (headers["x-api-key"]) return `key:${sha256(headers["x-api-key"])}`;
  return `ip:${remoteAddress}`;
}

/** Validates `X-Project-Name` (already present); returns an error detail or the stripped name. */
function checkProjectName(raw: string): { ok: true; name: string } | { ok: false; detail: string } {
  const name = raw.trim();
  if (name.length > 255) return { ok: false, detail: PROJECT_NAME_TOO_LONG };
  if (!NAME_RE.test(name)) return { ok: false, detail: PROJECT_NAME_INVALID };
  return { ok: true, name };
}

/** Resolves credentials and project scope for a data-plane request. */
export function authenticate(headers: Headers, keys: Map<string, ApiKeySpec>, authEnabled: boolean): AuthResult {
  const apiKey = headers["x-api-key"] ?? "";
  let organization: string;
  if (apiKey !== "") {
    // The API key wins over a Bearer token.
    const spec = keys.get(apiKey);
    if (!spec || spec.revoked) return { ok: false, status: 401, detail: INVALID_KEY };
    if (spec.expired) return { ok: false, status: 401, detail: EXPIRED_KEY };
    organization = spec.organization ?? "org-default";
  } else if (/^Bearer\s+\S/i.test(headers.authorization ?? "")) {
    return { ok: false, status: 401, detail: INVALID_BEARER };
  } else if (authEnabled) {
    return { ok: false, status: 401, detail: MISSING_CREDENTIALS };
  } else {
    organization = DEV_ORGANIZATION;
  }
  const rawName = headers["x-project-name"] ?? "";
  if (rawName.trim() === "") return { ok: false, status: 422, detail: PROJECT_SCOPE_REQUIRED };
  const checked = checkProjectName(rawName);
  if (!checked.ok) return { ok: false, status: 422, detail: checked.detail };
  return { ok: true, organization, projectName: checked.name };
}
