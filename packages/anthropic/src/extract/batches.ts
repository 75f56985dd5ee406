/**
 * `messages.batches.create`: one span for the create call (the batch runs for hours, on Anthropic's side), never one
 * per request. Input: how many requests and which models, not their conversations (a batch holds up to 100,000);
 * output: the batch's id, status and request counts.
 */
import { isLoose, type Loose, META, type ModelResult } from "@pandaprobe/core/integration";
import type { Endpoint } from "../endpoint.js";

export const batchesEndpoint: Endpoint = {
  name: "anthropic-message-batch",
  kind: "OTHER",
  noTraceIO: true,
  // The list is summarised when the span is recorded, off the caller's path.
  capture: (params) => ({ requests: params.requests }),
  input: (raw) => summarize((raw as Loose).requests),
  finish: (_call, data) => batchResult(data),
};

function summarize(requests: unknown): Loose {
  if (!Array.isArray(requests)) return { requests: 0 };
  const models = new Set<string>();
  for (const r of requests)
    if (isLoose(r) && isLoose(r.params) && typeof r.params.model === "string") models.add(r.params.model);
  return { requests: requests.length, models: [...models] };
}

function batchResult(batch: unknown): ModelResult {
  if (!isLoose(batch)) return {};
  const metadata: Record<string, unknown> = {};
  if (typeof batch.id === "string") metadata[META.RESPONSE_ID] = batch.id;
  if (typeof batch.processing_status === "string") metadata[META.STATUS] = batch.processing_status;
  const output = { id: batch.id, processing_status: batch.processing_status, request_counts: batch.request_counts };
  return { output, traceOutput: undefined, metadata };
}
