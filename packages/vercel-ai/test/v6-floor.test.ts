// The AI SDK 6 suite against the floor of our peer range for ai 6 (package.json: "ai-v6-floor").
import * as ai from "ai-v6-floor";
import * as mocks from "ai-v6-floor/test";
import { ai6Suite } from "./suites/ai6.js";

ai6Suite(ai as never, mocks as never, "AI SDK 6 (floor)"); // an older release of the same API
