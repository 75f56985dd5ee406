// No test may reach a real backend: clear every PANDAPROBE_* variable and point the default endpoint at a closed port.
for (const key of Object.keys(process.env)) if (key.startsWith("PANDAPROBE_")) delete process.env[key];
process.env.PANDAPROBE_ENDPOINT = "http://127.0.0.1:9";
