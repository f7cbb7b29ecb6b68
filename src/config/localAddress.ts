/**
 * Whether a base URL points at this machine or a private network: `localhost` (and `*.localhost`),
 * 127.0.0.0/8, `::1`, the RFC 1918 ranges 10/8, 172.16/12 and 192.168/16, and IPv6 unique-local
 * fc00::/7. Such backends (a local facade, Ollama on the LAN) usually take no key, so an entry
 * there may go without credentials. Works on the normalized URL, where WHATWG has already
 * canonicalized the host (`0x7f.1` → `127.0.0.1`).
 *
 * @example
 * ```ts
 * import { isLocalAddress } from 'llm-health-router';
 * isLocalAddress('http://127.0.0.1:8082');        // true
 * isLocalAddress('http://10.0.0.5:9000');         // true
 * isLocalAddress('https://openrouter.ai/api/v1'); // false
 * ```
 */
export function isLocalAddress(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1);
    return v6 === '::1' || /^f[cd][0-9a-f]{2}:/.test(v6);
  }
  const octets = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (octets === null) return false;
  const a = Number(octets[1]);
  const b = Number(octets[2]);
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}
