import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, webhookAllow, type Resolver } from './webhook-allow.js';

/** A resolver over a fixed table (names can be re-pointed between checks). */
function table(entries: Record<string, string[]>): Resolver {
  return async (host) => {
    const addresses = entries[host];
    if (!addresses) throw new Error(`ENOTFOUND ${host}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('WEBHOOK_ALLOW', () => {
  it('parses CIDRs, addresses and host names, and refuses anything else', () => {
    expect(webhookAllow(' 10.1.0.0/16, 2001:db8::/32,127.0.0.1 ,hooks.example.com')).toEqual([
      '10.1.0.0/16',
      '2001:db8::/32',
      '127.0.0.1',
      'hooks.example.com',
    ]);
    expect(webhookAllow('')).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'x/8', 'a b', '10.0.0.0/-1', 'http://x'])
      expect(() => webhookAllow(bad)).toThrow();
  });

  it('allows http(s) URLs whose every address is allowed, and answers the address to connect to', async () => {
    const dns = table({
      'hooks.example.com': ['203.0.113.7'],
      'mixed.example.com': ['203.0.113.8', '10.0.0.1'],
    });
    const allow = ['203.0.113.0/28', 'partner.example.net'];
    expect(await checkWebhookUrl('https://hooks.example.com/in', allow, dns)).toMatchObject({
      ok: true,
      address: '203.0.113.7',
      family: 4,
    });
    for (const [url, reason] of [
      ['https://mixed.example.com/in', /10\.0\.0\.1 is not in WEBHOOK_ALLOW/],
      ['http://10.0.0.1/', /not in WEBHOOK_ALLOW/],
      ['http://169.254.169.254/latest/meta-data', /not in WEBHOOK_ALLOW/],
      ['ftp://hooks.example.com/', /only http and https/],
      ['https://user:pw@hooks.example.com/', /credentials/],
      ['https://nowhere.example.com/', /does not resolve/],
      ['not a url', /not a URL/],
    ] as const) {
      const got = await checkWebhookUrl(url, allow, dns);
      expect(got.ok, url).toBe(false);
      expect(!got.ok && got.reason, url).toMatch(reason);
    }
    expect(await checkWebhookUrl('https://hooks.example.com/in', [], dns)).toMatchObject({ ok: false });
  });

  it('allows what an allowed host name resolves to now, and not once it is re-pointed', async () => {
    const entries: Record<string, string[]> = { 'partner.example.net': ['198.51.100.4'] };
    const dns = table(entries);
    expect((await checkWebhookUrl('https://partner.example.net/x', ['partner.example.net'], dns)).ok).toBe(
      true,
    );
    // The URL's name moves to an internal address: refused at the next check.
    entries['hook.example.org'] = ['198.51.100.4'];
    expect((await checkWebhookUrl('https://hook.example.org/', ['partner.example.net'], dns)).ok).toBe(true);
    entries['hook.example.org'] = ['127.0.0.1'];
    expect((await checkWebhookUrl('https://hook.example.org/', ['partner.example.net'], dns)).ok).toBe(false);
  });
});
