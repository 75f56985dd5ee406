/** Real LangGraph graphs used by the behaviour suite. */
import { startSpan } from "@pandaprobe/core";
import type { Frameworks } from "./frameworks.js";
import { makeScriptedModel } from "./scripted-model.js";
import type { ScriptedOptions } from "./scripted-model.js";

/** write → polish; `write` calls the model without passing `config` (AsyncLocalStorage links it). */
export function twoNodeGraph(fw: Frameworks, model = new (makeScriptedModel(fw))()) {
  const { StateGraph, Annotation, START, END, HumanMessage } = fw;
  const State = Annotation.Root({ topic: Annotation(), draft: Annotation(), final: Annotation() });
  return new StateGraph(State)
    .addNode("write", async (s: any) => ({
      draft: (await model.invoke([new HumanMessage(`write about ${s.topic}`)])).content,
    }))
    .addNode("polish", async (s: any) => ({ final: String(s.draft).toUpperCase() }))
    .addEdge(START, "write")
    .addEdge("write", "polish")
    .addEdge("polish", END)
    .compile();
}

/** Two tools for the agents. */
export function weatherTools(fw: Frameworks) {
  const { tool, z } = fw;
  const getWeather = tool(async ({ city }: { city: string }) => `It is 21C in ${city}`, {
    name: "get_weather",
    description: "Get the weather",
    schema: z.object({ city: z.string() }),
  });
  const getTime = tool(async ({ city }: { city: string }) => `It is 10:00 in ${city}`, {
    name: "get_time",
    description: "Get the local time",
    schema: z.object({ city: z.string() }),
  });
  return [getWeather, getTime];
}

/** A prebuilt ReAct agent with two tools. */
export function reactAgent(fw: Frameworks, options: ScriptedOptions = {}) {
  const Model = makeScriptedModel(fw);
  return fw.createReactAgent({ llm: new Model(options), tools: weatherTools(fw) });
}

/** parent: sub (a compiled subgraph with node `inner`) → after. */
export function subgraphGraph(fw: Frameworks) {
  const { StateGraph, Annotation, START, END } = fw;
  const S = Annotation.Root({ x: Annotation() });
  const child = new StateGraph(S)
    .addNode("inner", async (s: any) => ({ x: s.x + 1 }))
    .addEdge(START, "inner")
    .addEdge("inner", END)
    .compile();
  return new StateGraph(S)
    .addNode("sub", child)
    .addNode("after", async (s: any) => ({ x: s.x * 10 }))
    .addEdge(START, "sub")
    .addEdge("sub", "after")
    .addEdge("after", END)
    .compile();
}

/** ok → boom (throws `node failed`). */
export function failingGraph(fw: Frameworks) {
  const { StateGraph, Annotation, START, END } = fw;
  const S = Annotation.Root({ x: Annotation() });
  return new StateGraph(S)
    .addNode("ok", async (s: any) => ({ x: s.x + 1 }))
    .addNode("boom", async () => {
      throw new Error("node failed");
    })
    .addEdge(START, "ok")
    .addEdge("ok", "boom")
    .addEdge("boom", END)
    .compile();
}

/** ask (interrupt → resume value) → done, with a MemorySaver checkpointer. */
export function approvalGraph(fw: Frameworks) {
  const { StateGraph, Annotation, START, END, MemorySaver, interrupt } = fw;
  const S = Annotation.Root({ answer: Annotation(), done: Annotation() });
  return new StateGraph(S)
    .addNode("ask", async () => ({ answer: interrupt({ question: "approve?" }) }))
    .addNode("finish", async (s: any) => ({ done: `approved=${s.answer}` }))
    .addEdge(START, "ask")
    .addEdge("ask", "finish")
    .addEdge("finish", END)
    .compile({ checkpointer: new MemorySaver() });
}

/** One node that opens a core span (no config passed): it must nest under the node's span. */
export function manualSpanGraph(fw: Frameworks) {
  const { StateGraph, Annotation, START, END } = fw;
  const S = Annotation.Root({ x: Annotation() });
  return new StateGraph(S)
    .addNode("work", async (s: any) => {
      const y = await startSpan("manual-step", { kind: "OTHER", input: s.x }, async (span) => {
        await new Promise((r) => setImmediate(r));
        span.setOutput(s.x * 2);
        return s.x * 2;
      });
      return { x: y };
    })
    .addEdge(START, "work")
    .addEdge("work", END)
    .compile();
}
