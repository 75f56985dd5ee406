import * as sdk from "@aws-sdk/client-bedrock-runtime";
import { bedrockSuites } from "./suites/index.js";

bedrockSuites({ label: "client-bedrock-runtime 3.1178 (newest)", sdk });
