import { getClient } from "../client/global.js";
import type { ScoreOptions } from "../types.js";
import { guard } from "../utils/guard.js";

/**
 * Scores a trace (`POST /evaluations/trace-scores`, source PROGRAMMATIC) through `options.client`
 * or the global client. Never throws: an invalid score is reported and `false` returned.
 * @example score({ traceId: trace.id, name: "helpfulness", value: 0.9, reason: "grader" })
 */
export function score(options: ScoreOptions): boolean {
  return guard("score", () => (options?.client ?? getClient()).score(options), false);
}
