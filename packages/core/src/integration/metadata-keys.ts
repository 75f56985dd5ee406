import { REASONING_SUMMARY_KEY, REFUSAL_KEY } from "../serialize/content-policy.js";

/**
 * The metadata keys integrations write, one spelling for every integration (a dashboard filter on
 * `tool_call_id` finds the tool spans of OpenAI, LangGraph and the AI SDK alike). Integrations use these
 * constants, never their own strings; a new meaning gets a new key here.
 */
export const META = Object.freeze({
  // Every integration
  /** The id of the tool call a TOOL span executes (the model's call id). */
  TOOL_CALL_ID: "tool_call_id",
  /** Why the model stopped (`stop`, `length`, `tool_calls`, ...), as the provider says it. */
  FINISH_REASON: "finish_reason",
  /** The provider's id of the response. */
  RESPONSE_ID: "response_id",
  /** The provider's id of the HTTP request (`x-request-id`), for support tickets. */
  REQUEST_ID: "request_id",
  /** The provider or framework provider name (`openai.chat`, `anthropic`, ...). */
  PROVIDER: "provider",
  /** The requested model on a span that is not the model call itself (a framework call's root). */
  MODEL: "model",
  /** Names of the tools offered to the model (never their schemas). */
  TOOLS: "tools",
  /** The model's refusal text (model output: `recordOutputs: false` keeps it out). */
  REFUSAL: REFUSAL_KEY,
  /** The summary of the model's reasoning, when the provider returns one (model output: `recordOutputs: false` keeps it out). */
  REASONING_SUMMARY: REASONING_SUMMARY_KEY,
  /** How many choices the model returned (when more than one; the span records the first). */
  CHOICES: "choices",
  /** The response reported no token usage. */
  USAGE_UNAVAILABLE: "usage_unavailable",
  /** The call was streamed. */
  STREAMED: "streamed",
  /** `false` when a stream stopped before its end (break, abort, error, abandoned). */
  STREAM_COMPLETED: "stream_completed",
  /** The caller aborted the stream (its AbortController). */
  STREAM_ABORTED: "stream_aborted",
  /** The call was aborted (an abort signal). */
  ABORTED: "aborted",
  /**
   * Set by the kit when it closed a call that reported no end: `"timeout"` (the stale-call sweep, after
   * `staleCallTimeoutMs` without activity) or `"gc"` (its result was garbage-collected unread).
   */
  ABANDONED: "abandoned",
  /** A span closed because the call it belongs to ended first. */
  INCOMPLETE: "incomplete",
  /** The status the provider reports for a response or item (`completed`, `incomplete`, `failed`, ...). */
  STATUS: "status",
  /** Why a response is incomplete. */
  INCOMPLETE_REASON: "incomplete_reason",
  /** An error's class name, HTTP status, provider error type and code. */
  ERROR_NAME: "error_name",
  ERROR_STATUS: "error_status",
  ERROR_TYPE: "error_type",
  ERROR_CODE: "error_code",
  /** The framework operation of a call's root span (`ai.generateText`, ...) and the caller's function id. */
  OPERATION: "operation",
  FUNCTION_ID: "function_id",
  /** How many values an embedding call embeds. */
  VALUES: "values",

  // Provider SDK wrappers (OpenAI and the like)
  /** The SDK convenience method that issued the call (`chat.completions.parse`, `stream`, Mistral's `chat.parse`, ...). */
  SDK_HELPER: "sdk_helper",
  /** A Responses API output item's type and id, and an MCP server's label. */
  ITEM_TYPE: "item_type",
  ITEM_ID: "item_id",
  SERVER_LABEL: "server_label",
  /** The caller took the raw HTTP response (`.asResponse()`): the body was not read. */
  RAW_RESPONSE: "raw_response",
  /** The result was never consumed (a promise neither awaited nor read). */
  RESULT_UNCONSUMED: "result_unconsumed",
  /**
   * Server-side tool runs the provider counted for the call, by kind, as it reports them (Anthropic
   * `usage.server_tool_use`, e.g. `{ web_search_requests: 2 }`): they are billed apart from tokens.
   */
  SERVER_TOOL_USE: "server_tool_use",
  /** How many of the model's reasoning blocks the provider returned redacted (encrypted, unreadable: Anthropic `redacted_thinking`). */
  REDACTED_REASONING: "redacted_reasoning",
  /** The wrapper asked the provider for streamed usage (`stream_options.include_usage`). */
  INCLUDE_USAGE_INJECTED: "include_usage_injected",
  /** The provider's id of the agent that answered (Mistral `agents.complete`): the agent, not a model, was called. */
  AGENT_ID: "agent_id",
  /** The SDK returned something the wrapper could not observe: the span closed at once. */
  UNTRACED_RESULT: "pandaprobe_untraced_result",
  /** Reading the result failed inside the SDK's instrumentation (reported as an internal error). */
  RESULT_ERROR: "pandaprobe_result_error",

  // Agent frameworks (LangGraph and the like)
  /** The framework's conversation id (LangGraph `thread_id`, the Claude Agent SDK's `session_id`, the OpenAI Agents SDK's group id). */
  THREAD_ID: "thread_id",
  /** The framework's run type of a chain span. */
  RUN_TYPE: "run_type",
  /** A graph node's name, step and checkpoint namespace. */
  GRAPH_NODE: "langgraph_node",
  GRAPH_STEP: "langgraph_step",
  GRAPH_CHECKPOINT_NS: "langgraph_checkpoint_ns",
  /** The run resumes an interrupted one (`Command({ resume })`). */
  RESUMED: "langgraph_resume",
  /** The run paused on `interrupt()`, and the values it was interrupted with. */
  INTERRUPTED: "interrupted",
  INTERRUPTS: "interrupts",
  /** A control-flow signal (interrupt, `Command`) ended the span: not a failure. */
  BUBBLE_UP: "bubble_up",
  /**
   * The cost in US dollars that the framework itself reports for the call (the Claude Agent SDK's `total_cost_usd`):
   * its own estimate, recorded as given (the span's `cost.total` carries it too).
   */
  COST_USD: "cost_usd",

  // Agent SDKs (OpenAI Agents SDK and the like)
  /** The framework's own id of the trace (an OpenAI Agents SDK `trace_...` id): the same run in the framework's dashboard. */
  FRAMEWORK_TRACE_ID: "framework_trace_id",
  /** A handoff's agents: the one handing the conversation over, and the one taking it. */
  HANDOFF_FROM: "from_agent",
  HANDOFF_TO: "to_agent",
  /** The agents an agent can hand off to (names). */
  HANDOFFS: "handoffs",
  /** Whether a guardrail's tripwire was triggered (the run then stops with a tripwire error). */
  GUARDRAIL_TRIGGERED: "guardrail_triggered",
} as const);

/** One of the metadata keys of `META`. */
export type MetaKey = (typeof META)[keyof typeof META];
