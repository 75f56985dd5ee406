/**
 * What PandaProbe keeps for one Agents SDK trace besides its kit call (which is keyed by the SDK trace id): the
 * spans recorded for it by SDK span id, the model calls its AGENT spans and root report as their input/output, and
 * the mapping of the SDK's timestamps onto the kit's clock.
 */
import type { Span } from "@pandaprobe/core";
import { nowMs } from "@pandaprobe/core/integration";
import type { SpanFailure } from "./extract/errors.js";
import type { ModelCall } from "./extract/llm.js";
import type { AgentsSpan } from "./types.js";

/** One SDK span and the PandaProbe span that records it. */
export interface SpanEntry {
  readonly sdk: AgentsSpan;
  /** The PandaProbe span (the root span, for a run's task folded into it). */
  readonly span: Span;
  /** The entry of the SDK parent; undefined directly under the root. */
  readonly parent: SpanEntry | undefined;
  /** A run's task span recorded as the root span itself (see `TraceRun.startEntry`). */
  readonly folded: boolean;
  readonly model: boolean;
  ended: boolean;
  /** AGENT and task spans: the first and the last model call under them (their input and output). */
  firstModel?: SpanEntry;
  lastModel?: SpanEntry;
  /**
   * Turn or agent spans: their latest model call, whose function calls the following tool spans execute; tool spans:
   * that model call, as it was when they started.
   */
  callsFrom?: SpanEntry;
  /** Model call spans: what the call recorded (read once, when first needed, off the caller's path). */
  call?: ModelCall;
  /** Model call spans: the call ids already matched to a tool span. */
  matched?: Set<string>;
}

/**
 * A model call that arrives later than this after its SDK timestamp is placed at that timestamp (mapped onto the kit's
 * clock), not at its arrival: another processor ahead of ours (the SDK's OpenAI exporter exports a full buffer inline)
 * can hold events back.
 */
const LATE_MS = 2;

export class TraceRun {
  /** The root span's and trace's name (the SDK trace's name). */
  readonly name: string;
  readonly spans = new Map<string, SpanEntry>();
  /** The first and the last model call of the trace: the root span's input and output. */
  firstModel: SpanEntry | undefined;
  lastModel: SpanEntry | undefined;
  /** Model calls in flight (the call is busy meanwhile: the model client reports back, with its own timeout). */
  openModelCalls = 0;
  /** The failure of a top-level SDK span: the run threw, and the SDK will not end its trace. */
  failure: SpanFailure | undefined;
  ended = false;
  /** Kit clock − SDK clock, as closely as the events show it (SDK times are `new Date()` ISO strings, in ms). */
  private offset: number | undefined;

  constructor(name: string) {
    this.name = name;
  }

  /**
   * The time of an SDK event on the kit's clock. `event` is the timestamp of the event being processed now; `iso` the
   * one to map (default: `event`). An event that arrives promptly takes the kit's clock at once (microseconds); a late
   * one its own timestamp, so a span's place in time does not depend on when its event was delivered. Never later
   * than now.
   */
  time(event: string | null, iso: string | null = event): number {
    const now = nowMs();
    const at = typeof event === "string" ? Date.parse(event) : Number.NaN;
    // Every event arrives at or after its timestamp: the smallest difference seen is the closest to the true offset.
    if (Number.isFinite(at) && (this.offset === undefined || now - at < this.offset)) this.offset = now - at;
    const t = iso === event ? at : typeof iso === "string" ? Date.parse(iso) : Number.NaN;
    if (this.offset === undefined || !Number.isFinite(t)) return now;
    const mapped = t + this.offset;
    return mapped > now || (iso === event && now - mapped <= LATE_MS) ? now : mapped;
  }

  /** Whether a span of the trace is still open in the SDK itself (its end event has not merely been delayed). */
  hasOpenSpans(): boolean {
    for (const entry of this.spans.values()) if (!entry.ended && entry.sdk.endedAt === null) return true;
    return false;
  }
}
