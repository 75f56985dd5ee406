/** Reports an instrumentation failure the way core's `guard` does (log once + `onError`), with no allocation until it happens. */
import { guard } from "@pandaprobe/core";

export function report(label: string, error: unknown): void {
  guard(label, () => {
    throw error;
  });
}
