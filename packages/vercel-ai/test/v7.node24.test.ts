import * as ai from "ai";
import * as mocks from "ai/test";
import { ai7Suite } from "./suites/ai7.js";

ai7Suite(ai, mocks);
