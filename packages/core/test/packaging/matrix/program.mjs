/**
 * The runtime matrix's program: what every cell runs against the built package, the way an app would write it.
 * Plain JavaScript with no imports, so every runtime runs it as it is (bundled for workerd and edge-runtime).
 * `core` is `@pandaprobe/core`, already set up from the environment by the cell.
 */
const tick = () => new Promise((resolve) => setTimeout(resolve, 2));

export async function program(core) {
  // The contextual API: ids from user()/session(), spans nested by context across awaits.
  const contextual = await core.user("u-matrix", () =>
    core.session("s-matrix", () =>
      core.withTrace("contextual", async (trace) => {
        await tick();
        await core.withSpan("outer", async () => {
          await tick();
          await core.withSpan("inner", async () => {
            await tick();
          });
        });
        return trace.id;
      }),
    ),
  );
  // The explicit API: ids passed, spans nested through their parent, across awaits too.
  const explicit = await core.withTrace("explicit", { userId: "u-matrix", sessionId: "s-matrix" }, async (trace) => {
    await tick();
    const outer = trace.startSpan("outer");
    await tick();
    const inner = outer.startSpan("inner");
    await tick();
    inner.end();
    outer.end();
    return trace.id;
  });
  core.score({ traceId: contextual, name: "matrix", value: 1 });
  const flushed = await core.flush({ timeoutMs: 10_000 });
  return { contextual, explicit, flushed };
}

/** The last trace of a cell, left for the runtime's own end (process end, or the platform's waitUntil). */
export function lastTrace(core) {
  core.withTrace("last", (trace) => trace.startSpan("step").end());
}
