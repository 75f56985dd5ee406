import * as genai from "@google/genai";
import { genaiSuites } from "./suites/index.js";

genaiSuites({ label: "@google/genai 3", genai });
