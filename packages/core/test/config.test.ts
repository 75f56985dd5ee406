import { describe, expect, it, vi } from "vitest";
import { resolveConfig } from "../src/config/resolve-config.js";
import { PandaProbe } from "../src/index.js";
import { logger } from "../src/integration/index.js";

const KEYED = { PANDAPROBE_API_KEY: "sk_pp_x", PANDAPROBE_PROJECT_NAME: "proj" };

describe("resolveConfig", () => {
  it("uses the Python SDK's defaults", () => {
    const { config, problems } = resolveConfig({}, KEYED);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      endpoint: "https://api.pandaprobe.com",
      enabled: true,
      batchSize: 10,
      flushIntervalMs: 5000,
      maxQueueSize: 1000,
      debug: false,
      environment: undefined,
      release: undefined,
    });
  });

  it("has delivery defaults for the backend's limits and a bounded process end", () => {
    const { config } = resolveConfig({}, KEYED);
    expect(config).toMatchObject({
      tracesPerMinute: 100,
      rateLimitWindowMs: 60_000,
      rateLimitMarginMs: 2_000,
      waitForTraceMs: 600_000,
      exitTimeoutMs: 2_000,
      concurrency: 4,
      requestTimeoutMs: 10_000,
      spoolDir: undefined,
      agent: undefined,
      proxy: undefined,
    });
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_SPOOL_DIR: "/var/spool/pp" }).config.spoolDir).toBe(
      "/var/spool/pp",
    );
    expect(resolveConfig({ exitTimeoutMs: Number.POSITIVE_INFINITY }, KEYED).problems).toEqual([
      "exitTimeoutMs=Infinity is not a number >= 0",
    ]);
  });

  it("reads every PANDAPROBE_* variable", () => {
    const { config } = resolveConfig(
      {},
      {
        ...KEYED,
        PANDAPROBE_ENDPOINT: "http://127.0.0.1:9/",
        PANDAPROBE_ENVIRONMENT: "prod",
        PANDAPROBE_RELEASE: "1.2.3",
        PANDAPROBE_BATCH_SIZE: " 20 ",
        PANDAPROBE_FLUSH_INTERVAL: "2.5",
        PANDAPROBE_MAX_QUEUE_SIZE: "50",
        PANDAPROBE_DEBUG: "yes",
        PANDAPROBE_ENABLED: "1",
      },
    );
    expect(config).toMatchObject({
      apiKey: "sk_pp_x",
      projectName: "proj",
      endpoint: "http://127.0.0.1:9",
      environment: "prod",
      release: "1.2.3",
      batchSize: 20,
      flushIntervalMs: 2500,
      maxQueueSize: 50,
      debug: true,
      enabled: true,
    });
  });

  it("reads sampling: sampleRate (PANDAPROBE_SAMPLE_RATE) in [0, 1], a sampler function, the budget's backlog", () => {
    const defaults = resolveConfig({}, KEYED).config;
    expect(defaults).toMatchObject({ sampleRate: 1, sampler: undefined, maxBacklogWindows: 3 });
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_SAMPLE_RATE: " 0.25 " }).config.sampleRate).toBe(0.25);
    expect(resolveConfig({ sampleRate: 0 }, { ...KEYED, PANDAPROBE_SAMPLE_RATE: "0.5" }).config.sampleRate).toBe(0);
    const sampler = () => true;
    expect(resolveConfig({ sampler }, KEYED).config.sampler).toBe(sampler);
    expect(resolveConfig({ sampleRate: 1.5 }, KEYED).problems).toEqual([
      "sampleRate=1.5 is not a rate between 0 and 1",
    ]);
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_SAMPLE_RATE: "30%" }).problems).toEqual([
      'PANDAPROBE_SAMPLE_RATE="30%" is not a number >= 0',
    ]);
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_SAMPLE_RATE: "2" }).problems).toEqual([
      'PANDAPROBE_SAMPLE_RATE="2" is not a rate between 0 and 1',
    ]);
    expect(resolveConfig({ sampleRate: -0.1 }, KEYED).problems).toEqual(["sampleRate=-0.1 is not a number >= 0"]);
    expect(resolveConfig({ sampler: "keep" as never }, KEYED).problems).toEqual(["sampler must be a function"]);
    expect(resolveConfig({ maxBacklogWindows: 0 }, KEYED).problems).toEqual([
      "maxBacklogWindows=0 is not a number >= 1",
    ]);
  });

  it("lets explicit options win over env", () => {
    const { config } = resolveConfig(
      { apiKey: "k2", projectName: "p2", batchSize: 3 },
      { ...KEYED, PANDAPROBE_BATCH_SIZE: "20" },
    );
    expect(config).toMatchObject({ apiKey: "k2", projectName: "p2", batchSize: 3 });
  });

  it.each([
    ["false", false],
    ["0", false],
    ["no", false],
    ["OFF", false],
    ["true", true],
    ["Yes", true],
  ])("parses PANDAPROBE_ENABLED=%s", (raw, expected) => {
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_ENABLED: raw }).config.enabled).toBe(expected);
  });

  it("treats an empty PANDAPROBE_ENABLED as unset (enabled), unlike the Python SDK", () => {
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_ENABLED: "" }).config.enabled).toBe(true);
  });

  it("disables tracing with a clear reason when the key is missing", () => {
    const { config, problems } = resolveConfig({}, { PANDAPROBE_PROJECT_NAME: "p" });
    expect(config.enabled).toBe(false);
    expect(problems.join()).toMatch(/no API key/);
  });

  it("disables tracing when the project is missing or invalid", () => {
    expect(resolveConfig({}, { PANDAPROBE_API_KEY: "k" }).problems.join()).toMatch(/no project name/);
    expect(resolveConfig({ projectName: "bad/name!" }, { PANDAPROBE_API_KEY: "k" }).problems.join()).toMatch(
      /must start and end/,
    );
    expect(resolveConfig({ projectName: "x".repeat(256) }, { PANDAPROBE_API_KEY: "k" }).problems.join()).toMatch(/255/);
  });

  it("names an invalid number and turns tracing off instead of throwing", () => {
    const { config, problems } = resolveConfig({}, { ...KEYED, PANDAPROBE_BATCH_SIZE: "abc" });
    expect(problems).toEqual(['PANDAPROBE_BATCH_SIZE="abc" is not an integer >= 1']);
    expect(config.enabled).toBe(false);
    expect(config.disabledReason).toContain("PANDAPROBE_BATCH_SIZE");
  });

  it("names an invalid boolean", () => {
    expect(resolveConfig({}, { ...KEYED, PANDAPROBE_DEBUG: "maybe" }).problems[0]).toContain(
      'PANDAPROBE_DEBUG="maybe"',
    );
  });

  it("needs neither key nor project when disabled", () => {
    const { config, problems } = resolveConfig({ enabled: false }, {});
    expect(problems).toEqual([]);
    expect(config.enabled).toBe(false);
  });

  it("rejects a non-http endpoint", () => {
    expect(resolveConfig({ endpoint: "ftp://x" }, KEYED).problems.join()).toMatch(/not an http/);
  });

  it("takes flushIntervalMs in milliseconds; the deprecated flushInterval (seconds) still works, with one warning", () => {
    const warn = vi.fn();
    const prev = logger.setSink({ debug() {}, warn, error() {} });
    logger.resetOnce();
    try {
      expect(resolveConfig({ flushIntervalMs: 250 }, KEYED).config.flushIntervalMs).toBe(250);
      expect(warn).not.toHaveBeenCalled();
      expect(resolveConfig({ flushInterval: 2 }, KEYED).config.flushIntervalMs).toBe(2000);
      expect(resolveConfig({ flushInterval: 3 }, KEYED).config.flushIntervalMs).toBe(3000);
      expect(resolveConfig({ flushInterval: 2, flushIntervalMs: 700 }, KEYED).config.flushIntervalMs).toBe(700);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain("flushIntervalMs");
      // The env var keeps its name and unit (seconds), as in the Python SDK and the `pandaprobe` package.
      expect(resolveConfig({}, { ...KEYED, PANDAPROBE_FLUSH_INTERVAL: "0.5" }).config.flushIntervalMs).toBe(500);
      expect(resolveConfig({ flushIntervalMs: -1 }, KEYED).problems).toEqual([
        "flushIntervalMs=-1 is not a number >= 0",
      ]);
    } finally {
      logger.setSink(prev);
    }
  });

  it("never throws on options it cannot read: a Proxy, a throwing getter, values of the wrong type", () => {
    const prev = logger.setSink({ debug() {}, warn() {}, error() {} });
    try {
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      const throwing = Object.defineProperty({ projectName: "p" }, "apiKey", {
        enumerable: true,
        get: () => {
          throw new Error("no key for you");
        },
      });
      for (const options of [revoked.proxy, throwing, { apiKey: Symbol("k") }, { batchSize: 10n }, 42, "x", null]) {
        const client = new PandaProbe(options as never);
        expect(client.enabled).toBe(false);
        expect(Object.isFrozen(client.config)).toBe(true);
      }
      const ok = new PandaProbe({ ...KEYED_OPTIONS, batchSize: "7" as never, flushIntervalMs: 10 });
      expect(ok.config.batchSize).toBe(7);
      void ok.shutdown();
    } finally {
      logger.setSink(prev);
    }
  });
});

const KEYED_OPTIONS = { apiKey: "sk_pp_x", projectName: "proj", endpoint: "http://127.0.0.1:9" };
