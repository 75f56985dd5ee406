// What every model-call scenario shares: the same system prompt and question (the fakes answer the same sentence),
// and bare/traced operations built from one call on two clients.
export const SYSTEM = "You are a terse assistant used in a benchmark.";
export const PROMPT = "Write one short sentence about a fox.";

/** The bare and traced operations of a provider scenario: the same call on two clients. */
export function pairedOps(bareClient, tracedClient, call) {
  return { bare: () => call(bareClient), traced: () => call(tracedClient) };
}
