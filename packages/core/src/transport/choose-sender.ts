import type { ResolvedConfig } from "../config/options.js";
import { processEnv } from "../config/env.js";
import { logger } from "../utils/logger.js";
import { SDK_VERSION } from "../version.js";
import { isNode } from "./builtin.js";
import { fetchSender, type HttpSender, type SenderIdentity } from "./http-sender.js";
import { nodeHttpSender } from "./node-sender.js";
import { chooseProxy } from "./proxy.js";

/**
 * The sender for a client: the caller's `fetch` when given; on Node, `node:http(s)` with a keep-alive agent
 * (proxy from the options or the environment); elsewhere the runtime's `fetch`, one self-contained request at a
 * time. Undefined when there is nothing to send with. The debug log names the choice.
 */
export function chooseSender(config: ResolvedConfig, userFetch: typeof fetch | undefined): HttpSender | undefined {
  const id: SenderIdentity = {
    endpoint: config.endpoint,
    apiKey: config.apiKey,
    projectName: config.projectName,
    userAgent: `pandaprobe-typescript/${SDK_VERSION}`,
    timeoutMs: config.requestTimeoutMs,
  };
  let sender: HttpSender | undefined;
  if (typeof userFetch === "function") {
    if (config.agent || config.proxy)
      logger.warnOnce("sender:fetch-wins", "both `fetch` and `agent`/`proxy` given: requests go through your fetch.");
    sender = fetchSender(userFetch, id, "fetch (from the options)");
  } else if (isNode()) {
    const { proxy, problem } = config.agent ? {} : chooseProxy(new URL(config.endpoint), config.proxy, processEnv());
    if (problem) logger.warnOnce(`proxy:${problem}`, problem);
    // Two lanes (traces; span chunks and scores) of `concurrency` requests each.
    sender = nodeHttpSender(id, { sockets: config.concurrency * 2, agent: config.agent, proxy });
  }
  if (!sender && typeof globalThis.fetch === "function") {
    if (config.agent) logger.warnOnce("sender:no-agent", "`agent` applies on Node only; requests go through fetch.");
    sender = fetchSender(globalThis.fetch.bind(globalThis), id);
  }
  if (sender) logger.debug(`sending to ${config.endpoint} with ${sender.name}`);
  return sender;
}
