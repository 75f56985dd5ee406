import { type Env, readVar } from "../config/env.js";

/** The proxy for requests to `target`, and where it came from (for the debug log). */
export interface ProxyChoice {
  url: URL;
  source: string;
}

/**
 * The proxy to use for `target`: the `proxy` option when given (`false`: none), else `HTTPS_PROXY` (https targets)
 * or `HTTP_PROXY` (http targets), lower-case first as curl reads them, then `ALL_PROXY`, unless `NO_PROXY` lists the
 * host. Undefined for a direct connection. An unparseable variable is ignored (and named in `problem`).
 */
export function chooseProxy(
  target: URL,
  option: string | false | undefined,
  env: Env,
): { proxy?: ProxyChoice; problem?: string } {
  if (option === false) return {};
  if (option) return parse(option, "the proxy option");
  const https = target.protocol === "https:";
  const names = https
    ? ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    : ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];
  let raw: string | undefined;
  let source = "";
  for (const name of names) {
    const v = readVar(env, name)?.trim();
    if (v) {
      raw = v;
      source = name;
      break;
    }
  }
  if (!raw) return {};
  const noProxy = readVar(env, "no_proxy") ?? readVar(env, "NO_PROXY");
  if (noProxy && bypasses(target, noProxy)) return {};
  return parse(raw, source);
}

function parse(raw: string, source: string): { proxy?: ProxyChoice; problem?: string } {
  try {
    // A bare "host:port" (common in HTTP_PROXY) means an http proxy.
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return { problem: `${source} uses ${url.protocol}; only http(s) proxies are supported, so requests go direct` };
    return { proxy: { url, source } };
  } catch {
    return { problem: `${source} is not a URL; requests go direct` };
  }
}

/**
 * True when `NO_PROXY` covers the target: `*`, the host itself, or a domain it is under (`example.com` and
 * `.example.com` both cover `api.example.com`), optionally with a port that must match. Case-insensitive.
 */
export function bypasses(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === "*") return true;
    let entryPort: string | undefined;
    if (entry.startsWith("[")) {
      const close = entry.indexOf("]");
      if (entry[close + 1] === ":") entryPort = entry.slice(close + 2);
      entry = entry.slice(1, close);
    } else if (entry.indexOf(":") > 0 && entry.indexOf(":") === entry.lastIndexOf(":")) {
      entryPort = entry.slice(entry.indexOf(":") + 1);
      entry = entry.slice(0, entry.indexOf(":"));
    }
    if (entryPort && entryPort !== port) continue;
    entry = entry.replace(/^\*?\./, "");
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** `Proxy-Authorization` for a proxy URL with credentials, else undefined. */
export function proxyAuthorization(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const B = (globalThis as { Buffer?: { from(s: string): { toString(enc: string): string } } }).Buffer;
  const encoded = B ? B.from(`${user}:${pass}`).toString("base64") : btoa(`${user}:${pass}`);
  return `Basic ${encoded}`;
}
