/**
 * The Kubernetes manifests in deploy/kubernetes/: rendered by scripts/kubernetes.ts for 1 and 3
 * shards, committed, and checked here against the Kubernetes API schemas (kubernetes-models: the
 * OpenAPI schemas of the API, compiled) and against what the fleet needs to work. No cluster runs
 * here; this is what can be checked without one.
 */
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { shardOf } from '@scoreboard/protocol';
import { rankingServerSettings } from '@scoreboard/ranking-server';
import { httpClientSettings } from '@scoreboard/gateway';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  DEFAULT_IMAGE,
  RENDERS,
  etcdEndpoints,
  fleetYaml,
  shardEndpoints,
} from '../../../scripts/kubernetes.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const MODELS = { ConfigMap, Service, StatefulSet, Deployment, HorizontalPodAutoscaler, Ingress } as const;

type Doc = { apiVersion: string; kind: keyof typeof MODELS; metadata: { name: string }; [k: string]: any };

function load(file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'));
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Doc).filter(Boolean);
}

describe.each(RENDERS.filter((r) => r.replicas === 0))(
  'deploy/kubernetes for $shards shard(s)',
  ({ shards, file }) => {
    const docs = load(file);
    const one = (kind: Doc['kind'], name?: string) =>
      docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name))!;

    it('is what `pnpm k8s --write` renders (the committed file is not edited by hand)', () => {
      expect(readFileSync(join(ROOT, file), 'utf8')).toBe(fleetYaml({ shards, image: DEFAULT_IMAGE }));
    });

    it('validates against the Kubernetes API schemas, object by object', () => {
      expect(docs.map((d) => d.kind).sort()).toEqual(
        [
          'ConfigMap',
          'Deployment',
          'HorizontalPodAutoscaler',
          'Ingress',
          'Service',
          'Service',
          'StatefulSet',
        ].sort(),
      );
      for (const doc of docs) {
        const Model = MODELS[doc.kind];
        expect(Model, doc.kind).toBeDefined();
        expect(doc.apiVersion).toBe(Model.apiVersion);
        expect(() => new Model(doc as never).validate(), `${doc.kind} ${doc.metadata.name}`).not.toThrow();
      }
      // The validator does refuse a broken object (so the check above can fail).
      const broken = structuredClone(one('StatefulSet'));
      broken.spec.replicas = 'three';
      expect(() => new StatefulSet(broken as never).validate()).toThrow();
    });

    it('runs one ranking pod per shard, each with its volume, and lists them to the clients in shard order', () => {
      const ranking = one('StatefulSet');
      expect(ranking.spec.replicas).toBe(shards);
      expect(ranking.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOnce']);
      const mount = ranking.spec.template.spec.containers[0].volumeMounts[0];
      const dataDir = ranking.spec.template.spec.containers[0].env.find(
        (e: any) => e.name === 'DATA_DIR',
      ).value;
      expect(mount.mountPath).toBe(dataDir);
      const headless = one('Service', ranking.spec.serviceName);
      expect(headless.spec.clusterIP).toBe('None');
      const settings = one('ConfigMap').data;
      expect(settings.CLIENT_RANKING_ENDPOINT.split(',')).toEqual(shardEndpoints(shards, 5555));
      // Each pod learns its index from its ordinal, and the count from the settings.
      const env = ranking.spec.template.spec.containers[0].env;
      expect(env.find((e: any) => e.name === 'SHARD').valueFrom.fieldRef.fieldPath).toBe(
        "metadata.labels['apps.kubernetes.io/pod-index']",
      );
      expect(env.find((e: any) => e.name === 'SHARDS').valueFrom.configMapKeyRef.key).toBe('SHARDS');
      expect(settings.SHARDS).toBe(String(shards));
      expect(settings.CLIENT_RANKING_ENDPOINT).toContain(
        `${ranking.metadata.name}-0.${headless.metadata.name}:`,
      );
      // Boards spread over the rendered shards the way the clients will place them.
      const used = new Set(Array.from({ length: 100 }, (_, i) => shardOf(`board-${i}`, shards)));
      expect(used.size).toBe(shards);
    });

    it('probes, bounds, runs as non-root, scales the clients and is scraped', () => {
      for (const workload of [one('StatefulSet'), one('Deployment')]) {
        const pod = workload.spec.template.spec;
        expect(pod.securityContext).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        for (const c of pod.containers) {
          expect(c.readinessProbe).toBeDefined();
          expect(c.livenessProbe).toBeDefined();
          expect(c.resources.requests.cpu).toBeDefined();
          expect(c.resources.limits.memory).toBeDefined();
          expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true });
          expect(c.securityContext.runAsUser).toBeGreaterThan(0);
          // Every command runs a file the build makes.
          expect(readFileSync(join(ROOT, 'scripts/bundle.mjs'), 'utf8')).toContain(
            c.command[1].split('/').pop(),
          );
        }
        expect(workload.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
      }
      const hpa = one('HorizontalPodAutoscaler');
      expect(hpa.spec.scaleTargetRef).toMatchObject({
        kind: 'Deployment',
        name: one('Deployment').metadata.name,
      });
      const backend = one('Ingress').spec.rules[0].http.paths[0].backend.service.name;
      expect(one('Service', backend).spec.selector).toEqual(one('Deployment').spec.selector.matchLabels);
    });
  },
);

describe('deploy/kubernetes with standbys (3 shards of a primary and a standby)', () => {
  const render = RENDERS.find((r) => r.replicas > 0)!;
  const docs = load(render.file);
  const sets = docs.filter((d) => d.kind === 'StatefulSet');
  const shardSets = sets.filter((d) => d.metadata.name.startsWith('scoreboard-ranking-'));
  const etcd = sets.find((d) => d.metadata.name === 'scoreboard-etcd')!;
  const env = (set: Doc) => set.spec.template.spec.containers[0].env as Array<Record<string, any>>;
  const value = (set: Doc, name: string) => env(set).find((e) => e.name === name)!;

  it('is what `pnpm k8s --write` renders, and validates against the Kubernetes API schemas', () => {
    expect(readFileSync(join(ROOT, render.file), 'utf8')).toBe(
      fleetYaml({ shards: render.shards, replicas: render.replicas, image: DEFAULT_IMAGE }),
    );
    for (const doc of docs) {
      const Model = MODELS[doc.kind];
      expect(Model, doc.kind).toBeDefined();
      expect(() => new Model(doc as never).validate(), `${doc.kind} ${doc.metadata.name}`).not.toThrow();
    }
  });

  it('runs each shard as a StatefulSet of 1 + N members on distinct nodes, elected in the rendered etcd', () => {
    expect(shardSets).toHaveLength(render.shards);
    const settings = docs.find((d) => d.kind === 'ConfigMap')!.data;
    expect(settings.ETCD_ENDPOINTS.split(',')).toEqual(etcdEndpoints());
    expect(settings.CLIENT_RANKING_ENDPOINT.split(',')).toEqual(shardEndpoints(render.shards, 5555, 1));
    shardSets.forEach((set, i) => {
      expect(set.spec.replicas).toBe(1 + render.replicas);
      expect(value(set, 'SHARD').value).toBe(String(i));
      const anti =
        set.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
      expect(anti.topologyKey).toBe('kubernetes.io/hostname');
      expect(anti.labelSelector.matchLabels).toEqual(set.spec.selector.matchLabels);
      // Shard sets select only their own pods.
      expect(set.spec.selector.matchLabels['scoreboard.dev/shard']).toBe(String(i));
      expect(value(set, 'ADVERTISE_HOST').valueFrom.fieldRef.fieldPath).toBe('status.podIP');
      expect(value(set, 'REPLICATION_ENDPOINT').value).toMatch(/^tcp:\/\/0\.0\.0\.0:\d+$/);
      expect(value(set, 'ETCD_ENDPOINTS').valueFrom.configMapKeyRef.key).toBe('ETCD_ENDPOINTS');
      const headless = docs.find((d) => d.kind === 'Service' && d.metadata.name === set.spec.serviceName)!;
      expect(headless.spec.clusterIP).toBe('None');
      expect(headless.spec.selector).toEqual(set.spec.selector.matchLabels);
    });
    // Every variable a ranking pod or a client is given is one of its settings.
    const known = new Set(
      [...Object.values(rankingServerSettings), ...Object.values(httpClientSettings)].map((s) => s.env),
    );
    for (const set of shardSets) for (const e of env(set)) expect(known.has(e.name), e.name).toBe(true);
    const client = docs.find((d) => d.kind === 'Deployment')!;
    expect(value(client, 'ETCD_ENDPOINTS')).toBeDefined();
  });

  it('runs etcd as three members with lease checkpoints, on distinct nodes', () => {
    expect(etcd.spec.replicas).toBe(3);
    expect(value(etcd, 'ETCD_EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT').value).toBe('true');
    expect(value(etcd, 'ETCD_EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT_PERSIST').value).toBe('true');
    const peers = value(etcd, 'ETCD_INITIAL_CLUSTER').value.split(',');
    expect(peers).toHaveLength(3);
    expect(etcd.spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    expect(etcd.spec.template.spec.containers[0].volumeMounts[0].mountPath).toBe(
      value(etcd, 'ETCD_DATA_DIR').value.replace(/\/data$/, ''),
    );
  });
});
