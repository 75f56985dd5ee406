/** The SDK version, sent in `User-Agent: pandaprobe-typescript/<version>`. Kept equal to package.json by a test. */
export const SDK_VERSION = "0.1.0";
