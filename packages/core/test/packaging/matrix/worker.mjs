/**
 * A matrix cell on Cloudflare's workerd: the program behind `wrapWorker()`, set up from the Worker's env bindings.
 * `/program` runs the program; `/last` ends a trace and returns at once, leaving its delivery to `ctx.waitUntil`.
 * The nodejs_als cell prepends the import of AsyncLocalStorage and passes it (see matrix.test.ts).
 */
import * as core from "../../../dist/index.js";
import { lastTrace, program } from "./program.mjs";

const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));

export function worker(options) {
  return core.wrapWorker(
    {
      async fetch(request) {
        if (new URL(request.url).pathname === "/program")
          return new Response(JSON.stringify({ ...(await program(core)), warnings }));
        lastTrace(core);
        return new Response("ok");
      },
    },
    options,
  );
}
