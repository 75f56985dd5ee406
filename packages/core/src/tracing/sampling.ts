import type { ResolvedConfig, Sampler, SamplingInfo } from "../config/options.js";
import type { TraceRecord } from "../serialize/records.js";
import { reportInternal } from "../utils/guard.js";
import { unitHash } from "../utils/hash.js";
import { logger } from "../utils/logger.js";
import { describe } from "../utils/unreadable.js";

/** Samplers that have thrown or answered badly: reported once each. */
const reported = new WeakSet<Sampler>();

/** Kept at `rate`: by the conversation when there is a session id, else by the trace (see `unitHash`). */
function keptAt(rate: number, trace: Pick<TraceRecord, "id" | "sessionId">): boolean {
  if (!(rate < 1)) return true; // a sink without a rate (or NaN) keeps everything
  if (!(rate > 0)) return false;
  return unitHash(trace.sessionId ?? trace.id) < rate;
}

/**
 * Whether `sampleRate` keeps a trace, known from its start: a trace it leaves out is recorded cheaply (its spans are
 * serialised only if it is kept in the end: an error, or the sampler's answer).
 */
export function keptFromStart(config: Readonly<ResolvedConfig>, trace: Pick<TraceRecord, "id" | "sessionId">): boolean {
  return keptAt(config.sampleRate, trace);
}

/** The trace is `ERROR` or one of its spans is. */
export function traceHasError(trace: Pick<TraceRecord, "status" | "spans">): boolean {
  if (trace.status === "ERROR") return true;
  const spans = trace.spans;
  for (let i = 0; i < spans.length; i++) if (spans[i]!.status === "ERROR") return true;
  return false;
}

/**
 * The final decision, when the trace ends: a trace with an error is always kept; otherwise the sampler decides when
 * there is one (`true`, `false`, or a rate applied like `sampleRate`), else `sampleRate`. A sampler that throws or
 * answers something else leaves the trace to `sampleRate`, reported once. Never throws.
 */
export function keptAtEnd(config: Readonly<ResolvedConfig>, trace: TraceRecord): boolean {
  const sampler = config.sampler;
  if (typeof sampler !== "function") return keptAt(config.sampleRate, trace) || traceHasError(trace);
  const hasError = traceHasError(trace);
  let answer: unknown;
  try {
    answer = sampler(samplingInfo(config, trace, hasError));
  } catch (error) {
    if (!reported.has(sampler)) {
      reported.add(sampler);
      reportInternal("sampler (sampleRate decides instead)", error);
    }
    answer = undefined;
  }
  if (hasError || answer === true) return true;
  if (answer === false) return false;
  if (typeof answer === "number" && answer >= 0 && answer <= 1) return keptAt(answer, trace);
  if (answer !== undefined && !reported.has(sampler)) {
    reported.add(sampler);
    logger.warn(
      `the sampler answered ${describe(answer)}, not true, false or a rate in [0, 1]: sampleRate decides instead.`,
    );
  }
  return keptAt(config.sampleRate, trace);
}

function samplingInfo(config: Readonly<ResolvedConfig>, trace: TraceRecord, hasError: boolean): SamplingInfo {
  return {
    traceId: trace.id,
    name: trace.name,
    userId: trace.userId,
    sessionId: trace.sessionId,
    status: trace.status,
    hasError,
    tags: trace.tags,
    metadata: trace.metadata,
    environment: trace.environment ?? config.environment,
    release: trace.release ?? config.release,
    durationMs: Math.max(0, (trace.endMs ?? trace.startMs) - trace.startMs),
  };
}
