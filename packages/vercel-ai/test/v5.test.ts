import * as ai from "ai-v5";
import * as mocks from "ai-v5/test";
import { ai5Suite } from "./suites/ai5.js";

ai5Suite(ai, mocks);
