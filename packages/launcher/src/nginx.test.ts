import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NGINX_TEMPLATE,
  findNginx,
  portAccepts,
  prepareNginxPrefix,
  renderNginxConf,
  testNginxConf,
} from './nginx.js';
import { NGINX_ERRORS, withNginxErrors } from './nginx-errors.js';

const template = readFileSync(NGINX_TEMPLATE, 'utf8');

describe('renderNginxConf', () => {
  it('renders one server line per client and the listen address', () => {
    const conf = renderNginxConf(template, {
      listenHost: '127.0.0.1',
      listenPort: 9090,
      upstreams: ['127.0.0.1:7000', '127.0.0.1:7001', '127.0.0.1:7002'],
    });
    expect(conf.match(/^\s*server 127\.0\.0\.1:700\d max_fails/gm)).toHaveLength(3);
    expect(conf).toContain('listen 127.0.0.1:9090 backlog=4096;');
    expect(conf).toMatch(/^\s*limit_conn scoreboard_inflight 1536; # inflight:/m);
    expect(conf).not.toMatch(/server 127\.0\.0\.1:800[01]/);
    expect(conf).not.toMatch(/listen [^;]*:8080/);
  });

  it("holds nginx's own error answers exactly as the catalogue renders them", () => {
    expect(withNginxErrors(template)).toBe(template);
    for (const e of NGINX_ERRORS) {
      const body = new RegExp(`return ${e.status} '(.*)';`).exec(template)?.[1];
      expect(JSON.parse(body!).error.code, String(e.status)).toBe(e.code);
    }
    expect(() => withNginxErrors('http {}')).toThrow(/markers/);
  });

  it('refuses a template without its markers', () => {
    expect(() => renderNginxConf('http {}', { listenHost: 'h', listenPort: 1, upstreams: [] })).toThrow(
      /markers/,
    );
  });
});

/**
 * A stand-in client that counts requests; `hangUp` makes it drop the connection unanswered, and
 * `statusOf` picks the status of each answer by URL (200 by default).
 */
function fakeClient(
  hangUp: boolean,
  statusOf: (url: string) => number = () => 200,
): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      if (hangUp) req.socket.destroy();
      else res.writeHead(statusOf(req.url ?? ''), { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port, hits }),
    ),
  );
}

describe('nginx in front of the clients', () => {
  let nginx: ChildProcess | undefined;
  const servers: Server[] = [];
  afterEach(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = once(nginx, 'exit');
      nginx.kill('SIGTERM');
      await exited;
    }
    for (const s of servers.splice(0)) s.close();
  });

  async function startNginx(upstreams: string[]): Promise<string> {
    const bin = findNginx();
    expect(bin, 'nginx must be installed (apt-get install nginx)').toBeDefined();
    const probe = await fakeClient(false);
    const port = probe.port; // borrow a free port, then free it for nginx
    await new Promise((r) => probe.server.close(r));
    const prefix = mkdtempSync(join(tmpdir(), 'scoreboard-nginx-'));
    const conf = prepareNginxPrefix(prefix, { listenHost: '127.0.0.1', listenPort: port, upstreams });
    testNginxConf(bin!, prefix, conf);
    nginx = spawn(bin!, ['-p', prefix, '-c', conf, '-e', join(prefix, 'error.log')], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await portAccepts('127.0.0.1', port)); i++)
      await new Promise((r) => setTimeout(r, 50));
    return `http://127.0.0.1:${port}`;
  }

  it('answers JSON for its own 502 and 413', async () => {
    const url = await startNginx(['127.0.0.1:1']); // nothing listens on port 1
    const down = await fetch(`${url}/top/1`);
    expect(down.status).toBe(502);
    expect(down.headers.get('content-type')).toBe('application/json');
    expect(await down.json()).toEqual({
      error: { code: 'SCOREBOARD_ERR_GATEWAY_BAD_GATEWAY', message: expect.any(String) },
    });
    const write = await fetch(`${url}/score`, {
      method: 'PUT',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(write.status).toBe(502);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe(
      'SCOREBOARD_ERR_GATEWAY_BAD_GATEWAY',
    );
    const big = await fetch(`${url}/score`, {
      method: 'PUT',
      body: 'x'.repeat(20_000),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe(
      'SCOREBOARD_ERR_HTTP_BODY_TOO_LARGE',
    );
  });

  it('retries a read on another client but never sends a write twice', async () => {
    const broken = await fakeClient(true);
    const healthy = await fakeClient(false);
    servers.push(broken.server, healthy.server);
    // Each upstream is tried in turn; with two writes, one lands on the broken client first.
    const url = await startNginx([`127.0.0.1:${broken.port}`, `127.0.0.1:${healthy.port}`]);
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${url}/score`, {
        method: 'PUT',
        body: '{"user":1,"score":"+1"}',
        headers: { 'content-type': 'application/json' },
      });
      statuses.push(res.status);
      await res.text();
    }
    const writes = [...broken.hits, ...healthy.hits].filter((h) => h.startsWith('PUT'));
    expect(writes).toHaveLength(2); // each write reached exactly one client, once
    expect(broken.hits.filter((h) => h.startsWith('PUT'))).toHaveLength(1);
    expect(statuses.sort()).toEqual([200, 502]);

    broken.hits.length = 0;
    healthy.hits.length = 0;
    await new Promise((r) => setTimeout(r, 2100)); // let max_fails' fail_timeout pass
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${url}/top/1`);
      expect(res.status).toBe(200); // a read that hit the broken client was retried
      await res.text();
    }
    expect(healthy.hits.length).toBe(4);
  });

  it("passes a client's own 503 on and never marks the client down for it", async () => {
    // Both clients answer 503 for one board (as for a shard that is down) and 200 for the rest.
    const sick = (url: string): number => (url.startsWith('/boards/gone/') ? 503 : 200);
    const a = await fakeClient(false, sick);
    const b = await fakeClient(false, sick);
    servers.push(a.server, b.server);
    const url = await startNginx([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
    // One 503 then two 200s, so that under round robin each client gets both kinds.
    for (let i = 0; i < 6; i++) {
      for (const [path, status] of [
        ['gone', 503],
        ['ok', 200],
        ['ok', 200],
      ] as const) {
        const res = await fetch(`${url}/boards/${path}/top/1`);
        expect(res.status).toBe(status);
        await res.text();
      }
    }
    // Each 503 reached one client once (not retried on the other), and both still take reads.
    const goneHits = [...a.hits, ...b.hits].filter((h) => h.startsWith('GET /boards/gone/'));
    expect(goneHits).toHaveLength(6);
    expect(a.hits.filter((h) => h.startsWith('GET /boards/ok/')).length).toBeGreaterThan(0);
    expect(b.hits.filter((h) => h.startsWith('GET /boards/ok/')).length).toBeGreaterThan(0);
  });
});
