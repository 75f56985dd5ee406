import * as ai from "ai-v6";
import * as mocks from "ai-v6/test";
import { ai6Suite } from "./suites/ai6.js";

ai6Suite(ai, mocks);
