// The AI SDK 5 suite against the floor of our peer range for ai 5 (package.json: "ai-v5-floor").
import * as ai from "ai-v5-floor";
import * as mocks from "ai-v5-floor/test";
import { ai5Suite } from "./suites/ai5.js";

ai5Suite(ai as never, mocks as never, "AI SDK 5 (floor)"); // an older release of the same API
