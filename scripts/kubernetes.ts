/**
 * `pnpm k8s [--shards 3] [--image scoreboard:latest] [--write]`: the Kubernetes manifests of a
 * scoreboard fleet, as YAML on stdout (or, with --write, into deploy/kubernetes/ for 1 and 3 shards,
 * the files the tests validate against the Kubernetes API schemas).
 *
 * The fleet: a StatefulSet of ranking servers, one pod per shard, each with its own persistent
 * volume (pod i is shard i: its stable DNS name is what the clients list in shard order); a
 * Deployment of HTTP clients with probes and a HorizontalPodAutoscaler; an Ingress in front of the
 * clients' Service; a ConfigMap of the settings; requests and limits; non-root security contexts;
 * Prometheus scrape annotations. No cluster exists where this was written: the manifests are
 * validated, not applied.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';

/** What the fleet is rendered with. */
export interface FleetOptions {
  shards: number;
  image: string;
  /** Client replicas the autoscaler keeps between. */
  minClients?: number;
  maxClients?: number;
  /** Persistent volume of each shard. */
  storage?: string;
}

const APP = 'scoreboard';
const RANKING = `${APP}-ranking`;
const CLIENT = `${APP}-client`;
const RANKING_PORT = 5555;
const EVENTS_PORT = 5556;
const METRICS_PORT = 9464;
const HTTP_PORT = 8000;
/** The image's unprivileged `node` user (Dockerfile). */
const NODE_UID = 1000;

const labels = (component: string) => ({
  'app.kubernetes.io/name': APP,
  'app.kubernetes.io/component': component,
});

const scrape = (port: number) => ({
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(port),
  'prometheus.io/path': '/metrics',
});

/** A container that runs as the image's node user, on a read-only root, with nothing extra. */
const containerSecurity = {
  runAsNonRoot: true,
  runAsUser: NODE_UID,
  runAsGroup: NODE_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
const podSecurity = {
  runAsNonRoot: true,
  runAsUser: NODE_UID,
  runAsGroup: NODE_UID,
  fsGroup: NODE_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A probe that GETs a process's /metrics on the named container port (answered by the process alone). */
const metricsProbe = (port: string, periodSeconds: number) => ({
  httpGet: { path: '/metrics', port },
  periodSeconds,
  timeoutSeconds: 5,
});

/** O(shards). Shard i's endpoint for the clients: pod i's stable name behind the headless service. */
export function shardEndpoints(shards: number, port: number): string[] {
  return Array.from({ length: shards }, (_, i) => `tcp://${RANKING}-${i}.${RANKING}:${port}`);
}

/** O(shards). Every object of the fleet, in the order `kubectl apply` should create them. */
export function fleet(o: FleetOptions): Array<Record<string, unknown>> {
  const config = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${APP}-settings`, labels: labels('settings') },
    data: {
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      FSYNC: 'always',
      REQUEST_TIMEOUT_MS: '2000',
      SHARDS: String(o.shards),
      // The clients list every shard, in shard order: pod i of the StatefulSet is shard i.
      CLIENT_RANKING_ENDPOINT: shardEndpoints(o.shards, RANKING_PORT).join(','),
      CLIENT_EVENTS_ENDPOINT: shardEndpoints(o.shards, EVENTS_PORT).join(','),
    },
  };
  /** An environment variable read from the ConfigMap's `key` (by default its own name). */
  const fromConfig = (env: string, key = env) => ({
    name: env,
    valueFrom: { configMapKeyRef: { name: `${APP}-settings`, key } },
  });
  const settings = (names: string[]) => names.map((name) => fromConfig(name));
  const headless = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: RANKING, labels: labels('ranking') },
    spec: {
      clusterIP: 'None',
      // Clients must reach a shard while it loads (its port answers once the data is loaded).
      publishNotReadyAddresses: true,
      selector: labels('ranking'),
      ports: [
        { name: 'ranking', port: RANKING_PORT, targetPort: 'ranking' },
        { name: 'events', port: EVENTS_PORT, targetPort: 'events' },
        { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' },
      ],
    },
  };
  const ranking = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: RANKING, labels: labels('ranking') },
    spec: {
      serviceName: RANKING,
      replicas: o.shards,
      // Shards are independent: start and replace them all at once, not one after another.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels('ranking') },
      template: {
        metadata: { labels: labels('ranking'), annotations: scrape(METRICS_PORT) },
        spec: {
          securityContext: podSecurity,
          // SIGTERM: a shard answers what it applied and flushes its log before exiting.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'ranking-server',
              image: o.image,
              command: ['node', 'packages/ranking-server/dist/ranking-server.mjs'],
              env: [
                ...settings(['LOG_LEVEL', 'LOG_FORMAT', 'FSYNC', 'SHARDS']),
                // Pod i of the StatefulSet is shard i (the pod-index label, Kubernetes 1.28+).
                {
                  name: 'SHARD',
                  valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
                },
                { name: 'RANKING_ENDPOINT', value: `tcp://0.0.0.0:${RANKING_PORT}` },
                { name: 'EVENTS_ENDPOINT', value: `tcp://0.0.0.0:${EVENTS_PORT}` },
                { name: 'HOST', value: '0.0.0.0' },
                { name: 'METRICS_PORT', value: String(METRICS_PORT) },
                { name: 'DATA_DIR', value: '/app/data' },
              ],
              ports: [
                { name: 'ranking', containerPort: RANKING_PORT },
                { name: 'events', containerPort: EVENTS_PORT },
                { name: 'metrics', containerPort: METRICS_PORT },
              ],
              // Ready once its data folder is loaded and the socket is bound; a large board takes
              // seconds to load, so liveness waits for the start-up probe.
              startupProbe: { tcpSocket: { port: 'ranking' }, periodSeconds: 2, failureThreshold: 900 },
              readinessProbe: { tcpSocket: { port: 'ranking' }, periodSeconds: 5 },
              livenessProbe: metricsProbe('metrics', 10),
              resources: {
                requests: { cpu: '1', memory: '2Gi' },
                limits: { cpu: '2', memory: '8Gi' },
              },
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'data', mountPath: '/app/data' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: labels('ranking') },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: o.storage ?? '20Gi' } },
          },
        },
      ],
    },
  };
  const clients = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: CLIENT, labels: labels('client') },
    spec: {
      replicas: o.minClients ?? 2,
      selector: { matchLabels: labels('client') },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labels('client'), annotations: scrape(HTTP_PORT) },
        spec: {
          securityContext: podSecurity,
          terminationGracePeriodSeconds: 20,
          containers: [
            {
              name: 'gateway',
              image: o.image,
              command: ['node', 'packages/gateway/dist/gateway.mjs'],
              env: [
                ...settings(['LOG_LEVEL', 'LOG_FORMAT', 'REQUEST_TIMEOUT_MS']),
                fromConfig('RANKING_ENDPOINT', 'CLIENT_RANKING_ENDPOINT'),
                fromConfig('EVENTS_ENDPOINT', 'CLIENT_EVENTS_ENDPOINT'),
                { name: 'HOST', value: '0.0.0.0' },
                { name: 'PORT', value: String(HTTP_PORT) },
                // The Ingress controller (a pod on a private address) names the caller in X-Forwarded-For.
                { name: 'TRUST_PROXY', value: 'uniquelocal' },
              ],
              ports: [{ name: 'http', containerPort: HTTP_PORT }],
              // Not /health-check: it asks every shard, and one shard down must not take every
              // client out of the Service (the other shards' boards keep answering).
              readinessProbe: { httpGet: { path: '/metrics', port: 'http' }, periodSeconds: 5 },
              livenessProbe: metricsProbe('http', 10),
              resources: {
                requests: { cpu: '500m', memory: '256Mi' },
                limits: { cpu: '1', memory: '768Mi' },
              },
              securityContext: containerSecurity,
            },
          ],
        },
      },
    },
  };
  const clientService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: CLIENT, labels: labels('client') },
    spec: { selector: labels('client'), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const autoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: CLIENT, labels: labels('client') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: CLIENT },
      minReplicas: o.minClients ?? 2,
      maxReplicas: o.maxClients ?? 16,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: APP,
      labels: labels('ingress'),
      annotations: {
        // Live pages hold a stream open; the nginx Ingress controller must not buffer or cut it.
        'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      },
    },
    spec: {
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: CLIENT, port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  };
  return [config, headless, ranking, clientService, clients, autoscaler, ingress];
}

/** O(shards). The fleet as one multi-document YAML file. */
export function fleetYaml(o: FleetOptions): string {
  const head = `# Rendered by \`pnpm k8s --shards ${o.shards}\` (scripts/kubernetes.ts); edit that, not this.\n`;
  return (
    head +
    fleet(o)
      .map((doc) => `---\n${stringify(doc, { lineWidth: 0 })}`)
      .join('')
  );
}

/** The committed renders: deploy/kubernetes/scoreboard-<n>-shard(s).yaml. */
export const RENDERS = [1, 3].map((shards) => ({
  shards,
  file: join('deploy', 'kubernetes', `scoreboard-${shards}-${shards === 1 ? 'shard' : 'shards'}.yaml`),
}));
export const DEFAULT_IMAGE = 'scoreboard:latest';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      shards: { type: 'string', default: '1' },
      image: { type: 'string', default: DEFAULT_IMAGE },
      write: { type: 'boolean', default: false },
    },
  });
  if (values.write) {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    for (const { shards, file } of RENDERS) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), fleetYaml({ shards, image: values.image }));
      process.stderr.write(`wrote ${file}\n`);
    }
  } else {
    process.stdout.write(fleetYaml({ shards: Number(values.shards), image: values.image }));
  }
}
