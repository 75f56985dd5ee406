import { core } from "../../../core.js";

export const dynamic = "force-dynamic";

/** Returns without awaiting anything: delivery rests on core's automatic registration with the platform's waitUntil. */
export async function GET() {
  const { startTrace } = await core();
  startTrace("next-auto").end();
  return new Response("ok");
}
