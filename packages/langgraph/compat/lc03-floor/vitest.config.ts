import { compatProject } from "../vitest.compat.config.js";

// The floors of our peer ranges on the 0.3 line (package.json): the lc03 suite against them.
export default compatProject(import.meta.url, "langgraph-lc03-floor", /^(@langchain\/|zod$|zod\/)/);
