/** The safe model parameters of a request's `config` (never keys, headers, tools' code, abort signals). */
import { isLoose, type Loose, pickModelParameters } from "@pandaprobe/core/integration";

/** Gemini-specific parameters beside the shared ones (`temperature`, `topP`, `topK`, `maxOutputTokens`, ...). */
const EXTRA = ["responseMimeType", "responseModalities", "mediaResolution", "outputDimensionality", "taskType"];

export function modelParameters(params: Loose): Record<string, unknown> | undefined {
  const config = params.config;
  if (!isLoose(config)) return undefined;
  let out = pickModelParameters(config);
  for (const key of EXTRA) {
    const v = config[key];
    if (v !== undefined && typeof v !== "function" && typeof v !== "object") (out ??= {})[key] = v;
    else if (Array.isArray(v)) (out ??= {})[key] = v.filter((x) => typeof x === "string");
  }
  const thinking = config.thinkingConfig;
  if (isLoose(thinking)) {
    const t: Record<string, unknown> = {};
    for (const key of ["thinkingBudget", "thinkingLevel", "includeThoughts"])
      if (thinking[key] !== undefined && typeof thinking[key] !== "object") t[key] = thinking[key];
    if (Object.keys(t).length) (out ??= {}).thinkingConfig = t;
  }
  const mode = config.toolConfig?.functionCallingConfig?.mode;
  if (typeof mode === "string") (out ??= {}).functionCallingMode = mode;
  return out;
}

/** Names of the tools offered (function declarations, and built-in tools by their key); never their schemas. */
export function toolNames(params: Loose): string[] | undefined {
  const tools = params.config?.tools;
  if (!Array.isArray(tools)) return undefined;
  const names: string[] = [];
  for (const tool of tools) {
    if (!isLoose(tool)) continue;
    if (Array.isArray(tool.functionDeclarations)) {
      for (const d of tool.functionDeclarations) if (isLoose(d) && typeof d.name === "string") names.push(d.name);
    } else if (typeof tool.callTool === "function") names.push("callable_tool");
    else for (const key in tool) if (tool[key] !== undefined) names.push(key);
  }
  return names.length ? names : undefined;
}
