/**
 * The LangChain family by name, as PandaProbe's Python SDK and `pandaprobe` npm package name it: the same handler
 * (`LangGraphCallbackHandler`: every run, chain, agent, tool and retriever, with or without LangGraph), with the
 * trace named for what the user runs when the framework's own root name says nothing.
 */
import { LangGraphCallbackHandler } from "./handler.js";

/**
 * For LangChain chains, agents and retrievers (LCEL, `createAgent`), with or without LangGraph: a top-level
 * `RunnableSequence` or unnamed graph (`LangGraph`) makes a trace named `LangChain`; named runs keep their name.
 * `chain.invoke(input, { callbacks: [new LangChainCallbackHandler({ userId })] })`.
 */
export class LangChainCallbackHandler extends LangGraphCallbackHandler {
  override name = "pandaprobe_langchain_handler";

  protected override rootName(name: string): string {
    return name === "LangGraph" || name === "RunnableSequence" ? "LangChain" : name;
  }
}

/**
 * For deep agents (`deepagents`' `createDeepAgent`): an unnamed deep agent makes a trace named `DeepAgents`. Its
 * subagents run inside its `task` tool and inherit the callbacks, so one handler records the whole tree: each
 * subagent is an `AGENT` span under its `task` tool span.
 */
export class DeepAgentsCallbackHandler extends LangGraphCallbackHandler {
  override name = "pandaprobe_deepagents_handler";

  protected override rootName(name: string): string {
    return name === "LangGraph" ? "DeepAgents" : name;
  }
}
