/**
 * There is no Docker engine here, so the Docker files are checked as far as this machine allows:
 * the compose file parses, its services run entry points that the build produces, nginx's
 * upstreams name the client services, and the image runs as an unprivileged user.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../../..');

interface Service {
  command: string[];
  environment?: Record<string, string>;
}

describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
  };

  it('has a ranking server, two clients and nginx, each running a built entry point', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['client-1', 'client-2', 'nginx', 'ranking']);
    for (const [name, svc] of Object.entries(compose.services)) {
      const entry = svc.command.join(' ').match(/packages\/[a-z-]+\/dist\/[a-z-]+\.js/)?.[0];
      expect(entry, `${name} runs a package entry point`).toBeDefined();
      expect(existsSync(join(ROOT, entry!.replace('/dist/', '/src/').replace(/\.js$/, '.ts'))), entry).toBe(
        true,
      );
    }
  });

  it('points the clients at the ranking service and nginx at the clients', () => {
    const s = compose.services;
    expect(s['ranking']!.environment!['RANKING_ENDPOINT']).toBe('tcp://0.0.0.0:5555');
    for (const c of ['client-1', 'client-2']) {
      expect(s[c]!.environment!['RANKING_ENDPOINT']).toBe('tcp://ranking:5555');
      expect(s[c]!.environment!['HOST']).toBe('0.0.0.0');
    }
    expect(s['nginx']!.environment!['UPSTREAMS']).toBe('client-1:8000,client-2:8000');
    // The board survives container restarts: the data folder is a volume.
    expect(s['ranking']!.environment!['DATA_DIR']).toBe('/app/data');
    expect((s['ranking'] as { volumes?: string[] }).volumes).toContain('ranking-data:/app/data');
  });

  it('builds an image that runs as an unprivileged user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
  });
});
