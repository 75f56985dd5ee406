/** ConverseStream: the events the caller reads, aggregated into the reply, stop reason and usage. */
import { isLoose, META, type ModelResult, type StreamAccumulator } from "@pandaprobe/core/integration";
import { reasoningMetadata } from "../extract/messages.js";
import { ConverseEvents } from "./converse-events.js";

export class ConverseStreamAccumulator implements StreamAccumulator {
  declare private readonly events: ConverseEvents;

  constructor() {
    this.events = new ConverseEvents();
  }

  add(event: unknown): boolean {
    return isLoose(event) && this.events.add(event);
  }

  result(completed: boolean): ModelResult {
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
