/** Request header validation and caching for the lean HTTP client. */
/** Per-request header lines, cached by position so unchanged headers are validated and joined once. */
export class HeaderCache {
  private keys: string[] = [];
  private values: string[] = [];
  private lines: string[] = [];
  private own: boolean[] = [];

  block(headers: Record<string, string>): string {
    let out = "",
      i = 0;
    for (const k in headers) {
      const v = headers[k];
      if (this.values[i] !== v || this.keys[i] !== k) {
        // Validate before caching, so a rejected header is rejected again next time.
        const own = this.keys[i] === k ? this.own[i] : checkName(k);
        checkValue(k, v);
        this.keys[i] = k;
        this.own[i] = own;
        this.values[i] = v;
        this.lines[i] = own ? "" : `${k}: ${v}\r\n`;
      }
      out += this.lines[i++];
    }
    return out;
  }
}

const OWN = new Set(["host", "content-length", "connection", "transfer-encoding"]);
/** Validates a header name; true for the headers this sender sets itself (the caller's value is ignored). */
function checkName(k: string): boolean {
  if (k.length === 0 || !isToken(k)) throw new Error(`invalid HTTP header name ${JSON.stringify(k)}`);
  return OWN.has(k.toLowerCase());
}
/** Validates a header value like `node:http` does (0x80-0xFF allowed: heads are written as latin1 bytes). */
function checkValue(k: string, v: string): void {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127 || c > 255) throw new Error(`invalid character in HTTP header ${k}`);
  }
}
export function isToken(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127 || '"(),/:;<=>?@[\\]{}'.includes(s[i])) return false;
  }
  return true;
}
export function isPlainPath(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}
