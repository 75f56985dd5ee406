import { compatProject } from "../vitest.compat.config.js";

// The floors of our peer ranges on the 1.x line (package.json): the behaviour suite against them.
export default compatProject(import.meta.url, "langgraph-lc1-floor", /^(@langchain\/|zod$|zod\/)/);
