/**
 * Webhooks with real processes through nginx, against a local receiver that fails, hangs, goes
 * down and comes back: a refused address is a 400 that stores nothing; a period's results arrive in signed batches
 * of 100, retried (500s, timeouts) until a 2xx; the delivery state says so meanwhile; and a kill -9
 * of the ranking server in the middle of a period's delivery resumes after the last acknowledged
 * batch, so every batch arrives at least once and in order.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { ErrorCode } from '@scoreboard/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts, http, startCluster, waitFor, type Cluster } from './harness.js';

const SECRET = 'whsec_test_0123456789abcdef';

interface Delivery {
  id: string;
  signature: string;
  idempotencyKey: string;
  raw: string;
  body: { id: string; board: string; period: number; results: Array<{ user: string; rank: number }> };
}

/**
 * A webhook receiver whose answer the test sets: `ok` (200), `fail` (500) or `hang` (none); and
 * the one delivery id it never answers whatever the mode (`hangOn`).
 */
class Receiver {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  hangOn: string | undefined;
  readonly attempts: Delivery[] = [];
  readonly accepted: Delivery[] = [];
  private server: Server | undefined;

  async start(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as Delivery['body'];
        const d: Delivery = {
          id: body.id,
          signature: String(req.headers['scoreboard-signature']),
          idempotencyKey: String(req.headers['idempotency-key']),
          raw,
          body,
        };
        this.attempts.push(d);
        if (this.mode === 'hang' || d.id === this.hangOn) return; // never answers: the sender times out
        if (this.mode === 'fail') return void res.writeHead(500).end('no');
        this.accepted.push(d);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  stop(): void {
    this.server?.closeAllConnections();
    this.server?.close();
    this.server = undefined;
  }
}

/** O(body). Whether a delivery's Scoreboard-Signature is the HMAC of "<t>.<raw body>". */
function signedRight(d: Delivery): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(d.signature);
  if (!m) return false;
  const want = createHmac('sha256', SECRET).update(`${m[1]}.${d.raw}`).digest('hex');
  return want === m[2] && Math.abs(Date.now() / 1000 - Number(m[1])) < 60;
}

let cluster: Cluster | undefined;
const receiver = new Receiver();

afterAll(async () => {
  receiver.stop();
  await cluster?.stop();
});

describe('webhooks', () => {
  it('refuse internal addresses, and deliver signed batches at least once through failures, timeouts and a kill -9', async () => {
    const port = await freePorts(1);
    await receiver.start(port);
    cluster = await startCluster({
      nginx: true,
      env: { WEBHOOK_ALLOW: '127.0.0.1/32', WEBHOOK_RETRY_MS: '100', WEBHOOK_TIMEOUT_MS: '400' },
    });
    const url = cluster.endpoints.url;
    expect((await http(`${url}/boards/cup`, { method: 'PUT', body: {} })).status).toBe(201);

    // Addresses outside WEBHOOK_ALLOW, and other schemes, are refused and nothing is stored.
    for (const bad of ['http://10.0.0.1/hook', 'http://169.254.169.254/latest', 'ftp://127.0.0.1/x']) {
      const res = await http(`${url}/boards/cup/webhook`, {
        method: 'PUT',
        body: { url: bad, secret: SECRET },
      });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toMatch(/WEBHOOK_REFUSED|HTTP_VALIDATION/);
    }
    expect((await http(`${url}/boards/cup/webhook`)).body).toMatchObject({ url: null, pending: 0 });

    const hook = `http://127.0.0.1:${port}/scoreboard`;
    const set = await http(`${url}/boards/cup/webhook`, {
      method: 'PUT',
      body: { url: hook, secret: SECRET },
    });
    expect(set).toMatchObject({ status: 200, body: { url: hook, from: 1, delivered: null, pending: 0 } });
    expect(JSON.stringify(set.body)).not.toContain(SECRET);

    // Period 1: 250 players, three batches; the receiver fails, then hangs, then takes them.
    const scores = Array.from({ length: 250 }, (_, i) => ({ user: `p${i}`, total: i }));
    expect((await http(`${url}/boards/cup/scores`, { method: 'POST', body: { scores } })).status).toBe(200);
    receiver.mode = 'fail';
    expect((await http(`${url}/boards/cup/reset`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => receiver.attempts.length >= 3, 10_000, 'three failed attempts');
    expect((await http(`${url}/boards/cup/webhook`)).body).toMatchObject({
      pending: 3,
      delivered: null,
      lastError: 'HTTP 500',
    });
    expect(receiver.attempts.every((a) => a.id === 'cup:1:0')).toBe(true);
    receiver.mode = 'hang';
    const hung = receiver.attempts.length;
    await waitFor(
      async () => /no answer/.test(String((await http(`${url}/boards/cup/webhook`)).body.lastError)),
      10_000,
      'a timed-out attempt',
    );
    expect(receiver.attempts.length).toBeGreaterThan(hung);
    // The receiver goes down altogether (connections refused), then comes back taking everything.
    receiver.stop();
    await waitFor(
      async () => /ECONNREFUSED/.test(String((await http(`${url}/boards/cup/webhook`)).body.lastError)),
      10_000,
      'a refused connection',
    );
    receiver.mode = 'ok';
    await receiver.start(port);
    await waitFor(async () => receiver.accepted.length >= 3, 15_000, 'three batches accepted');
    await waitFor(
      async () => (await http(`${url}/boards/cup/webhook`)).body.pending === 0,
      5000,
      'nothing pending',
    );
    expect((await http(`${url}/boards/cup/webhook`)).body).toMatchObject({
      delivered: { period: 1, batch: 2 },
      failures: 0,
      lastError: null,
    });
    expect(receiver.accepted.map((d) => d.id)).toEqual(['cup:1:0', 'cup:1:1', 'cup:1:2']);
    expect(receiver.attempts.every(signedRight)).toBe(true);
    expect(receiver.accepted.every((d) => d.idempotencyKey === d.id)).toBe(true);
    // The batches, joined, are the results route's answer.
    const route = await http(`${url}/boards/cup/periods/1/results?limit=1000`);
    expect(receiver.accepted.flatMap((d) => d.body.results)).toEqual(route.body.results);
    expect(receiver.accepted.map((d) => d.body.results.length)).toEqual([100, 100, 50]);

    // Period 2: the first batch is taken, the second hangs, and the ranking server is killed.
    // (Hung by id, not by a mode set once batch 0 is in: by then batches 1 and 2 may be taken.)
    expect((await http(`${url}/boards/cup/scores`, { method: 'POST', body: { scores } })).status).toBe(200);
    receiver.mode = 'ok';
    receiver.hangOn = 'cup:2:1';
    expect((await http(`${url}/boards/cup/reset`, { method: 'POST' })).status).toBe(200);
    await waitFor(
      async () => receiver.attempts.some((a) => a.id === 'cup:2:1') || undefined,
      10_000,
      'batch 1 of period 2 in flight',
    );
    const server = cluster.launcher.children.server!;
    const pid = server.pid!;
    process.kill(pid, 'SIGKILL');
    receiver.hangOn = undefined;
    await waitFor(
      async () => server.pid !== pid && (await http(`${url}/health-check`)).status === 200,
      20_000,
      'restart',
    );
    await waitFor(
      async () => receiver.accepted.some((d) => d.id === 'cup:2:2') || undefined,
      15_000,
      'period 2 delivered after the restart',
    );
    const ids = receiver.accepted.map((d) => d.id);
    const second = ids.filter((id) => id.startsWith('cup:2:'));
    // Every batch at least once and in order: a batch in flight at the kill comes again (as may one
    // whose acknowledgement had not reached the log), never one out of order.
    expect([...new Set(second)]).toEqual(['cup:2:0', 'cup:2:1', 'cup:2:2']);
    expect([...second].sort()).toEqual(second);
    // The receiver counts a batch before its answer reaches the server: the cursor follows.
    await waitFor(
      async () => (await http(`${url}/boards/cup/webhook`)).body.pending === 0,
      5000,
      'period 2 acknowledged',
    );
    expect((await http(`${url}/boards/cup/webhook`)).body).toMatchObject({
      delivered: { period: 2, batch: 2 },
      pending: 0,
    });
    expect(receiver.attempts.every(signedRight)).toBe(true);
    expect(ErrorCode.WEBHOOK_REFUSED).toBe('SCOREBOARD_ERR_WEBHOOK_REFUSED');
  }, 90_000);
});
