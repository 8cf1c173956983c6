/**
 * nginx as a child process: find the binary, render the top-level nginx.conf for this setup (the
 * upstream servers between the markers, the listen line) into the run folder, and probe readiness.
 */
import { connectHost } from '@scoreboard/config';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { withNginxErrors } from './nginx-errors.js';
import { Supervised } from './supervisor.js';

/** Where the top-level nginx.conf lives (the repository root). */
export const NGINX_TEMPLATE = resolve(import.meta.dirname, '../../../nginx.conf');

/** What the rendered config serves. */
export interface NginxSetup {
  /** Address and port nginx listens on. */
  listenHost: string;
  listenPort: number;
  /** The client processes, as host:port. */
  upstreams: string[];
}

/** O(1). The nginx binary on PATH or in the usual sbin folders, or undefined when not installed. */
export function findNginx(): string | undefined {
  return findBinary('nginx', ['/usr/local/nginx/sbin']);
}

/** O(PATH). Where the executable `name` is: on PATH, in the sbin folders, or in `more`. */
export function findBinary(name: string, more: readonly string[] = []): string | undefined {
  for (const dir of (process.env['PATH'] ?? '')
    .split(':')
    .concat(['/usr/sbin', '/usr/local/sbin', ...more])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Requests nginx lets through at once per client process; past the total it sheds load with 503. */
export const INFLIGHT_PER_CLIENT = 512;

/**
 * O(template). The template with the upstream servers, the listen line, the in-flight limit (512
 * per client) and nginx's own error answers (from the catalogue) replaced. Throws when the template lacks its markers, so a hand edit cannot
 * silently break the launcher.
 */
export function renderNginxConf(template: string, setup: NginxSetup): string {
  const block = /([ \t]*)# upstream:begin\n[\s\S]*?# upstream:end\n/;
  const indent = block.exec(template)?.[1];
  if (indent === undefined) throw new Error('nginx.conf has no "# upstream:begin/end" markers');
  const servers = setup.upstreams.map((u) => `${indent}server ${u} max_fails=1 fail_timeout=2s;\n`).join('');
  const listen = /^([ \t]*)listen [^;]*;([^\n]*# listen:)/m;
  if (!listen.test(template)) throw new Error('nginx.conf has no listen line marked "# listen:"');
  const host = setup.listenHost.includes(':') ? `[${setup.listenHost}]` : setup.listenHost;
  const inflight = /^([ \t]*)limit_conn scoreboard_inflight \d+;([^\n]*# inflight:)/m;
  if (!inflight.test(template)) throw new Error('nginx.conf has no limit_conn line marked "# inflight:"');
  const limit = Math.min(65_535, INFLIGHT_PER_CLIENT * setup.upstreams.length);
  return withNginxErrors(template)
    .replace(block, `${indent}# upstream:begin\n${servers}${indent}# upstream:end\n`)
    .replace(listen, `$1listen ${host}:${setup.listenPort} backlog=4096;$2`)
    .replace(inflight, `$1limit_conn scoreboard_inflight ${limit};$2`);
}

/** O(1). Writes the rendered config and temp folders under `prefix`; answers the config path. */
export function prepareNginxPrefix(prefix: string, setup: NginxSetup, template = NGINX_TEMPLATE): string {
  mkdirSync(join(prefix, 'tmp'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, renderNginxConf(readFileSync(template, 'utf8'), setup));
  return conf;
}

/** O(1). Checks a config with `nginx -t`; throws nginx's message when it is invalid. */
export function testNginxConf(bin: string, prefix: string, conf: string): void {
  execFileSync(bin, ['-t', '-q', '-p', prefix, '-c', conf, '-e', 'stderr'], { stdio: 'pipe' });
}

/** Resolves true when something accepts TCP connections at host:port. */
export function portAccepts(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * O(template). nginx as a supervised child serving `setup` from `prefix`: renders the config,
 * checks it with `nginx -t` (throwing nginx's message) and answers the child, not yet started.
 * Ready once its port accepts connections; stopped gracefully with SIGQUIT.
 */
export function nginxProcess(bin: string, prefix: string, setup: NginxSetup, logger: Logger): Supervised {
  const conf = prepareNginxPrefix(prefix, setup);
  testNginxConf(bin, prefix, conf);
  const probeHost = connectHost(setup.listenHost);
  return new Supervised(
    {
      name: 'nginx',
      command: bin,
      args: ['-p', prefix, '-c', conf, '-e', 'stderr'],
      ipc: false,
      probe: () => portAccepts(probeHost, setup.listenPort),
      stopSignal: 'SIGQUIT',
    },
    logger,
  );
}
