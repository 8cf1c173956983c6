/**
 * Where webhooks may go (`WEBHOOK_ALLOW`): a comma-separated list of CIDRs (`10.1.0.0/16`,
 * `2001:db8::/32`), single addresses, or host names. A URL is allowed when it is http(s) and every
 * address its host resolves to is inside an allowed CIDR, is an allowed address, or is an address
 * an allowed host name resolves to now. Empty (the default) refuses everything, so a key holder
 * cannot make the service call its own internal addresses. The check answers the address it
 * allowed, so a delivery connects to exactly that one (a name re-pointed later is checked again).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { Parser } from './settings.js';

/** O(entries). Parses `WEBHOOK_ALLOW`: each entry a CIDR, an IP address or a host name. */
export const webhookAllow: Parser<string[]> = (raw) => {
  const entries = raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address ?? '');
    if (prefix !== undefined) {
      const bits = Number(prefix);
      if (family === 0 || !/^[0-9]{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128))
        throw new Error(`"${entry}" is not a CIDR (expected e.g. 10.0.0.0/8 or 2001:db8::/32)`);
    } else if (
      family === 0 &&
      !/^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(entry)
    ) {
      throw new Error(`"${entry}" is neither a CIDR, an IP address nor a host name`);
    }
  }
  return entries;
};

/** Resolves a host name to every address it has now. */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** What a check answers: the URL and the address to connect to, or why it is refused. */
export type WebhookTarget =
  { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; reason: string };

/**
 * O(entries + lookups). Checks a webhook URL against the allow list `allow` (see the module
 * comment); `resolve` answers a name's addresses (the system's resolver unless a test gives one).
 */
export async function checkWebhookUrl(
  raw: string,
  allow: readonly string[],
  resolve: Resolver = systemResolver,
): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'only http and https' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'no credentials in the URL' };
  if (allow.length === 0) return { ok: false, reason: 'WEBHOOK_ALLOW is empty: every address is refused' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const list = new BlockList();
  for (const entry of allow) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address!);
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) list.addAddress(address!, type);
      else list.addSubnet(address!, Number(prefix), type);
      continue;
    }
    // A host name allows the addresses it resolves to now.
    try {
      for (const a of await resolve(entry)) list.addAddress(a.address, a.family === 6 ? 'ipv6' : 'ipv4');
    } catch {
      // A name that does not resolve allows nothing.
    }
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) !== 0 ? [{ address: host, family: isIP(host) }] : await resolve(host);
  } catch {
    return { ok: false, reason: `${host} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  for (const a of addresses) {
    if (!list.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4'))
      return { ok: false, reason: `${a.address} is not in WEBHOOK_ALLOW` };
  }
  const first = addresses[0]!;
  return { ok: true, url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
