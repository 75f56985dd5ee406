/** ConverseStream: the events the caller reads, aggregated into the reply, stop reason and usage. */
import { META } from "@pandaprobe/core/integration";
import type { CallResult, StreamAccumulator } from "../call-result.js";
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
    const { message, reasoning } = events.reply();
    return {
      output: { messages: [message] },
      usage: events.usage,
      metadata: {
        [META.STREAMED]: true,
        ...(completed ? undefined : { [META.STREAM_COMPLETED]: false }),
        ...(events.stopReason ? { [META.FINISH_REASON]: events.stopReason } : undefined),
        ...(reasoning ? { [META.REASONING_SUMMARY]: reasoning } : undefined),
      },
    };
  }
}
