/** ConverseStream: the events the caller reads, aggregated into the reply, stop reason and usage. */
import { META } from "@pandaprobe/core/integration";
import type { CallResult, StreamAccumulator } from "../call-result.js";
import { reasoningMetadata } from "../extract/messages.js";
import { isObject } from "../shapes.js";
import { ConverseEvents } from "./converse-events.js";

export class ConverseStreamAccumulator implements StreamAccumulator {
  declare private readonly events: ConverseEvents;

  constructor() {
    this.events = new ConverseEvents();
  }

  add(event: unknown): boolean {
    return isObject(event) && this.events.add(event);
  }

  result(completed: boolean): CallResult {
    const events = this.events;
    const reply = events.reply();
    return {
      output: { messages: [reply.message] },
      usage: events.usage,
      metadata: {
        [META.STREAMED]: true,
        ...(completed ? undefined : { [META.STREAM_COMPLETED]: false }),
        ...(events.stopReason ? { [META.FINISH_REASON]: events.stopReason } : undefined),
        ...reasoningMetadata(reply),
      },
    };
  }
}
