/**
 * A matrix cell on the Vercel Edge runtime (`edge-runtime`): the program in a fetch event listener, set up from
 * `process.env` as Vercel's Edge runtime provides it. `/last` ends a trace and responds at once, its delivery
 * registered with the event's `waitUntil` through `withWaitUntil()`.
 */
import * as core from "../../../dist/index.js";
import { lastTrace, program } from "./program.mjs";

const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));
core.init();

addEventListener("fetch", (event) => {
  const handle = async () => {
    if (new URL(event.request.url).pathname === "/program")
      return new Response(JSON.stringify({ ...(await program(core)), warnings }));
    lastTrace(core);
    return new Response("ok");
  };
  event.respondWith(core.withWaitUntil((promise) => event.waitUntil(promise), handle));
});
