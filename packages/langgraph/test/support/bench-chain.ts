/**
 * The LangChain benchmark's chain (bench/langchain.ts): an LCEL `prompt | model | parser` with a fake chat model
 * from `@langchain/core/utils/testing`. Lives here so its imports resolve this package's LangChain.
 */
import { StringOutputParser } from "@langchain/core/output_parsers";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { FakeListChatModel } from "@langchain/core/utils/testing";

export function buildBenchChain() {
  const prompt = ChatPromptTemplate.fromMessages([
    ["system", "You answer in one line."],
    ["human", "{question}"],
  ]);
  return prompt.pipe(new FakeListChatModel({ responses: ["The answer is 42."] })).pipe(new StringOutputParser());
}
