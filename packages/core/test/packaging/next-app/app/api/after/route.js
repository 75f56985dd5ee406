import { after } from "next/server";
import { core } from "../../../core.js";

export const dynamic = "force-dynamic";

/** The documented one-liner for self-hosting (`next start`): after(() => flush()). */
export async function GET() {
  const { flush, startTrace } = await core();
  startTrace("next-after").end();
  after(() => flush());
  return new Response("ok");
}
