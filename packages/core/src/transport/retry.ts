/** Pure retry policy helpers (no timers, `now` passed in). */

/**
 * True for the backend's plan-quota refusal: a 429 whose body is a domain error (`{"detail": ...}`: "You've reached
 * the traces limit (100) for your HOBBY plan", "No active subscription", "Your subscription is not active"). It
 * lasts until the billing period ends or the plan changes, so it is not worth a retry. The rate limiter's own 429
 * (`{"error": ...}`, over in a minute) and any other 429 body are not quota refusals.
 */
export function isQuotaRefusal(status: number, body: string): boolean {
  if (status !== 429 || !body.includes('"detail"')) return false;
  try {
    const j = JSON.parse(body) as { detail?: unknown; error?: unknown };
    return typeof j.detail === "string" && j.error === undefined;
  } catch {
    return false;
  }
}

/** Exponential backoff with full jitter in [base·2^n / 2, base·2^n], capped at `max`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.min(maxMs, exp / 2 + (random() * exp) / 2);
}

/**
 * `Retry-After` as milliseconds (seconds or an HTTP date), capped at `maxMs`;
 * undefined when absent or unparseable.
 */
export function parseRetryAfter(header: string | null | undefined, now: number, maxMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(maxMs, Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(maxMs, Math.max(0, date - now));
}

/** The server's message from an error body: `detail`, `error` (rate limiter) or the `errors` list. */
export function serverMessage(body: string): string | undefined {
  if (!body) return undefined;
  try {
    const j = JSON.parse(body) as {
      detail?: unknown;
      error?: unknown;
      errors?: Array<{ field?: string; message?: string }>;
    };
    const parts: string[] = [];
    if (typeof j.detail === "string") parts.push(j.detail);
    else if (j.detail !== undefined) parts.push(JSON.stringify(j.detail));
    if (typeof j.error === "string") parts.push(j.error);
    if (Array.isArray(j.errors))
      for (const e of j.errors.slice(0, 10)) parts.push(`${e.field || "(body)"}: ${e.message}`);
    return parts.length ? parts.join("; ") : body.slice(0, 500);
  } catch {
    return body.slice(0, 500);
  }
}
