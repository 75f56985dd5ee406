// The AI SDK 7 suite against the floor of our peer range for ai 7 (package.json: "ai-v7-floor").
import * as ai from "ai-v7-floor";
import * as mocks from "ai-v7-floor/test";
import { ai7Suite } from "./suites/ai7.js";

ai7Suite(ai as never, mocks as never, "AI SDK 7 (floor)"); // an older release of the same API
