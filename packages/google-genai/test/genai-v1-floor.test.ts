import * as genai from "genai-v1-floor";
import { genaiSuites } from "./suites/index.js";

genaiSuites({ label: "@google/genai 1 floor", genai });
