import * as sdk from "bedrock-runtime-floor";
import { bedrockSuites } from "./suites/index.js";

bedrockSuites({ label: "client-bedrock-runtime 3.929 (floor)", sdk });
