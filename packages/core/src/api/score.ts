import { scoreArgs } from "../scores/score-args.js";
import { readOption } from "../utils/read-options.js";
import { clientOf } from "./client-of.js";
import type { ScoreArgsOptions, ScoreOptions } from "./options.js";

/**
 * Scores a trace (`POST /evaluations/trace-scores`, source PROGRAMMATIC) through `client` or the global client. Takes
 * an options object, or the positional form of PandaProbe's `pandaprobe` package. Never throws: an invalid score is
 * reported (warning + onError) and `false` returned.
 * @example score({ traceId: trace.id, name: "helpfulness", value: 0.9, reason: "grader" })
 * @example score(trace.id, "helpfulness", 0.9, { reason: "grader" })
 */
export function score(options: ScoreOptions): boolean;
export function score(
  traceId: string,
  name: string,
  value: number | boolean | string,
  options?: ScoreArgsOptions,
): boolean;
export function score(first: unknown, name?: unknown, value?: unknown, extras?: unknown): boolean {
  const options = scoreArgs(first, name, value, extras, arguments.length);
  const client = clientOf(readOption(options, "client", "score"), "score");
  return client ? client.score(options as ScoreOptions) : false;
}
