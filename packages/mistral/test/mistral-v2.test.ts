import * as newest from "@mistralai/mistralai";
import * as floor from "mistral-v2-floor";
import { mistralSuites } from "./suites/index.js";

const v2 = { parse: true, readableStream: true, contentChunks: true, cachedTokens: true };
mistralSuites({ label: "mistral 2.7 (newest)", sdk: newest, ...v2 });
mistralSuites({ label: "mistral 2.0 (floor)", sdk: floor, ...v2 });
