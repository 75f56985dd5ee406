import { compatProject } from "../vitest.compat.config.js";

// @langchain/core 0.3 + @langchain/langgraph 0.4, the newest releases of that line (package.json).
export default compatProject(import.meta.url, "langgraph-lc03", /^(@langchain\/|zod$|zod\/)/);
