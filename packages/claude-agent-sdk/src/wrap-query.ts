/** `wrapClaudeAgentQuery`: a `query()` that traces every query it starts and returns the SDK's own `Query`. */
import { withActiveSpan } from "@pandaprobe/core";
import {
  createIntegration,
  guard,
  type Integration,
  isRecord,
  logger,
  META,
  readCallOptions,
} from "@pandaprobe/core/integration";
import { QueryLog } from "./query-log.js";
import { observePrompt } from "./streaming/observe-prompt.js";
import { observeQuery } from "./streaming/observe-query.js";
import { buildTrace, ROOT_NAME } from "./trace-builder.js";
import type { WrapClaudeAgentQueryOptions } from "./types.js";

/** Marks a traced `query` (shared by every copy of this package). */
const WRAPPED = Symbol.for("pandaprobe.claude-agent-sdk.wrapped");

/**
 * Traces every query of the Claude Agent SDK's `query()` and returns a function with the same signature:
 * `const query = wrapClaudeAgentQuery(sdk.query, { userId })`. Each query becomes one trace (or a span of the
 * trace current where it starts): the prompt and final result, an `LLM` span per assistant turn, a `TOOL` span per
 * tool use, subagents nested under their Task/Agent tool span, usage, the SDK's cost and session id. The `Query` it
 * returns is the SDK's own object: iteration, early `return()`, `interrupt()` and the other control methods,
 * values and errors are the SDK's. Wrapping twice does nothing more. Never throws.
 */
export function wrapClaudeAgentQuery<Q extends (...args: never[]) => unknown>(
  sdkQuery: Q,
  options: WrapClaudeAgentQueryOptions = {},
): Q {
  return guard(
    "claude-agent-sdk.wrap",
    () => {
      if (typeof sdkQuery !== "function") return sdkQuery;
      if ((sdkQuery as unknown as Record<symbol, unknown>)[WRAPPED]) {
        logger.debug("wrapClaudeAgentQuery: query already wrapped; keeping the first options");
        return sdkQuery;
      }
      const integration = createIntegration<QueryLog>("claude-agent-sdk", options);
      const original = sdkQuery as unknown as (...args: unknown[]) => unknown;
      const traced = function query(this: unknown, ...args: unknown[]): unknown {
        return tracedQuery(original, this, args, integration);
      };
      Object.defineProperty(traced, WRAPPED, { value: true });
      return traced as unknown as Q;
    },
    sdkQuery,
  );
}

function tracedQuery(
  original: (...args: unknown[]) => unknown,
  self: unknown,
  args: unknown[],
  integration: Integration<QueryLog>,
): unknown {
  const started = guard("claude-agent-sdk.start", () => start(args, integration));
  if (!started) return Reflect.apply(original, self, args);
  const { log, callArgs } = started;
  const call = log.call!;
  let q: unknown;
  try {
    // The query's own work (in-process MCP tools, hooks, `canUseTool`) runs under its span.
    q = withActiveSpan(call.span, () => Reflect.apply(original, self, callArgs));
  } catch (error) {
    guard("claude-agent-sdk.error", () => call.end({ error }));
    throw error;
  }
  guard("claude-agent-sdk.observe", () => {
    if (observeQuery(q, log)) call.watch(q as object);
    else call.end({ metadata: { [META.UNTRACED_RESULT]: true } });
  });
  return q;
}

/** The query's call and log, and the arguments to call the SDK with (a streaming prompt observed as the SDK reads it). */
function start(
  args: unknown[],
  integration: Integration<QueryLog>,
): { log: QueryLog; callArgs: unknown[] } | undefined {
  const params = args[0];
  if (!isRecord(params)) return undefined;
  const options = isRecord(params.options) ? params.options : undefined;
  const own = readCallOptions(params) ?? readCallOptions(options);
  const prompt = params.prompt;
  const log = new QueryLog(prompt, options, buildTrace);
  const model = typeof options?.model === "string" ? options.model : undefined;
  const call = integration.startCall({
    name: own?.name ?? ROOT_NAME,
    kind: "AGENT",
    input: typeof prompt === "string" ? { messages: [{ role: "user", content: prompt }] } : undefined,
    metadata: model ? { [META.MODEL]: model } : undefined,
    identity: own,
    recordInputs: own?.recordInputs,
    recordOutputs: own?.recordOutputs,
    state: log,
    onAbandon: () => log.finish("abandoned"),
  });
  if (!call) return undefined;
  log.call = call;
  const streaming = typeof prompt !== "string" && isAsyncIterable(prompt);
  const callArgs = streaming ? [{ ...params, prompt: observePrompt(prompt, log) }, ...args.slice(1)] : args;
  return { log, callArgs };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === "function"
  );
}
