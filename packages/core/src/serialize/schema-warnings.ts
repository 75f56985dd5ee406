import { validateMessages } from "../messages.js";
import { logger } from "../utils/logger.js";

const warned = new Set<string>();

/**
 * Warns, at most once per kind ("trace input", "LLM span output", ...), when I/O that the messages
 * convention applies to does not follow it. Data is always sent as it is; after the first warning
 * of a kind its check is skipped entirely.
 */
export function checkMessagesConvention(label: string, value: unknown): void {
  if (value === undefined || value === null || warned.has(label)) return;
  const problem = validateMessages(value);
  if (!problem) return;
  warned.add(label);
  logger.warnOnce(
    `schema:${label}`,
    `${label} does not follow the messages convention and is stored as-is (warned once). ${problem}`,
  );
}
