/**
 * `pnpm k8s [--shards 3] [--replicas 1] [--image scoreboard:latest] [--write]`: the Kubernetes
 * manifests of a scoreboard fleet, as YAML on stdout (or, with --write, into deploy/kubernetes/ for
 * 1 and 3 shards, and 3 shards of two members each: the files the tests validate against the
 * Kubernetes API schemas).
 *
 * The fleet: a StatefulSet of ranking servers, one pod per shard, each with its own persistent
 * volume (pod i is shard i: its stable DNS name is what the clients list in shard order); a
 * Deployment of HTTP clients with probes and a HorizontalPodAutoscaler; an Ingress in front of the
 * clients' Service; a ConfigMap of the settings; requests and limits; non-root security contexts;
 * Prometheus scrape annotations. With --replicas N, each shard is a StatefulSet of its own of 1 + N
 * pods that never share a node, elected in a three-member etcd StatefulSet. No cluster exists where this was written: the manifests are
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
  /**
   * Standbys per shard (default 0). With standbys each shard is a StatefulSet of its own (1 + N
   * pods, never two on one node), elected in a three-member etcd rendered alongside.
   */
  replicas?: number;
}

const APP = 'scoreboard';
const RANKING = `${APP}-ranking`;
const CLIENT = `${APP}-client`;
const RANKING_PORT = 5555;
const EVENTS_PORT = 5556;
const METRICS_PORT = 9464;
const REPLICATION_PORT = 5557;
const ETCD = `${APP}-etcd`;
const ETCD_MEMBERS = 3;
/** etcd 3.4, as Debian packages it and the launcher runs it. */
const ETCD_IMAGE = 'quay.io/coreos/etcd:v3.4.34';
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

/** O(1). The claim template of a StatefulSet pod's own `data` volume (one node's disk: ReadWriteOnce). */
const dataClaim = (component: Record<string, string>, storage: string) => ({
  metadata: { name: 'data', labels: component },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
});

/** A probe that GETs a process's /metrics on the named container port (answered by the process alone). */
const metricsProbe = (port: string, periodSeconds: number) => ({
  httpGet: { path: '/metrics', port },
  periodSeconds,
  timeoutSeconds: 5,
});

/**
 * O(shards). Shard i's endpoint for the clients: pod i's stable name behind the headless service;
 * with standbys, pod 0 of shard i's own StatefulSet (where clients start: etcd's leader key then
 * names the primary).
 */
export function shardEndpoints(shards: number, port: number, replicas = 0): string[] {
  return Array.from({ length: shards }, (_, i) =>
    replicas > 0
      ? `tcp://${RANKING}-${i}-0.${RANKING}-${i}:${port}`
      : `tcp://${RANKING}-${i}.${RANKING}:${port}`,
  );
}

/** O(1). The client URLs of the rendered etcd's members. */
export function etcdEndpoints(): string[] {
  return Array.from({ length: ETCD_MEMBERS }, (_, i) => `http://${ETCD}-${i}.${ETCD}:2379`);
}

/** O(shards). Every object of the fleet, in the order `kubectl apply` should create them. */
export function fleet(o: FleetOptions): Array<Record<string, unknown>> {
  const replicas = o.replicas ?? 0;
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
      CLIENT_RANKING_ENDPOINT: shardEndpoints(o.shards, RANKING_PORT, replicas).join(','),
      CLIENT_EVENTS_ENDPOINT: shardEndpoints(o.shards, EVENTS_PORT, replicas).join(','),
      ...(replicas > 0
        ? {
            ETCD_ENDPOINTS: etcdEndpoints().join(','),
            REPLICATION: 'sync',
            LEASE_TTL_MS: '2000',
          }
        : {}),
    },
  };
  /** An environment variable read from the ConfigMap's `key` (by default its own name). */
  const fromConfig = (env: string, key = env) => ({
    name: env,
    valueFrom: { configMapKeyRef: { name: `${APP}-settings`, key } },
  });
  const settings = (names: string[]) => names.map((name) => fromConfig(name));
  /** The headless Service that gives `name`'s pods their stable DNS names. */
  const headless = (name: string, component: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: component },
    spec: {
      clusterIP: 'None',
      // Clients must reach a shard while it loads (its port answers once the data is loaded).
      publishNotReadyAddresses: true,
      selector: component,
      ports: [
        { name: 'ranking', port: RANKING_PORT, targetPort: 'ranking' },
        { name: 'events', port: EVENTS_PORT, targetPort: 'events' },
        { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' },
        ...(replicas > 0 ? [{ name: 'replication', port: REPLICATION_PORT, targetPort: 'replication' }] : []),
      ],
    },
  });
  /**
   * A StatefulSet of ranking servers: one pod per shard (`shard` undefined: pod i is shard i), or
   * shard `shard`'s 1 + `replicas` members, elected in etcd, at most one per node.
   */
  const rankingSet = (name: string, component: Record<string, string>, shard?: number) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, labels: component },
    spec: {
      serviceName: name,
      replicas: shard === undefined ? o.shards : 1 + replicas,
      // Shards are independent: start and replace them all at once, not one after another.
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: component },
      template: {
        metadata: { labels: component, annotations: scrape(METRICS_PORT) },
        spec: {
          securityContext: podSecurity,
          // SIGTERM: a shard answers what it applied and flushes its log before exiting.
          terminationGracePeriodSeconds: 30,
          ...(shard === undefined
            ? {}
            : {
                // A shard's members never share a node: a node lost takes one member, not the shard.
                affinity: {
                  podAntiAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      { labelSelector: { matchLabels: component }, topologyKey: 'kubernetes.io/hostname' },
                    ],
                  },
                },
              }),
          containers: [
            {
              name: 'ranking-server',
              image: o.image,
              command: ['node', 'packages/ranking-server/dist/ranking-server.mjs'],
              env: [
                ...settings(['LOG_LEVEL', 'LOG_FORMAT', 'FSYNC', 'SHARDS']),
                shard === undefined
                  ? // Pod i of the StatefulSet is shard i (the pod-index label, Kubernetes 1.28+).
                    {
                      name: 'SHARD',
                      valueFrom: {
                        fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" },
                      },
                    }
                  : { name: 'SHARD', value: String(shard) },
                { name: 'RANKING_ENDPOINT', value: `tcp://0.0.0.0:${RANKING_PORT}` },
                { name: 'EVENTS_ENDPOINT', value: `tcp://0.0.0.0:${EVENTS_PORT}` },
                { name: 'HOST', value: '0.0.0.0' },
                { name: 'METRICS_PORT', value: String(METRICS_PORT) },
                { name: 'DATA_DIR', value: '/app/data' },
                ...(shard === undefined
                  ? []
                  : [
                      ...settings(['ETCD_ENDPOINTS', 'REPLICATION', 'LEASE_TTL_MS']),
                      { name: 'REPLICATION_ENDPOINT', value: `tcp://0.0.0.0:${REPLICATION_PORT}` },
                      // What it publishes in etcd: the pod's address, as clients and standbys reach it.
                      { name: 'ADVERTISE_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                    ]),
              ],
              ports: [
                { name: 'ranking', containerPort: RANKING_PORT },
                { name: 'events', containerPort: EVENTS_PORT },
                { name: 'metrics', containerPort: METRICS_PORT },
                ...(shard === undefined ? [] : [{ name: 'replication', containerPort: REPLICATION_PORT }]),
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
      volumeClaimTemplates: [dataClaim(component, o.storage ?? '20Gi')],
    },
  });
  const rankingObjects =
    replicas === 0
      ? [headless(RANKING, labels('ranking')), rankingSet(RANKING, labels('ranking'))]
      : Array.from({ length: o.shards }, (_, i) => {
          const component = { ...labels('ranking'), 'scoreboard.dev/shard': String(i) };
          return [headless(`${RANKING}-${i}`, component), rankingSet(`${RANKING}-${i}`, component, i)];
        }).flat();
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
                // With standbys, clients follow each shard's leader key in etcd.
                ...(replicas > 0 ? settings(['ETCD_ENDPOINTS']) : []),
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
  return [
    config,
    ...(replicas > 0 ? etcdObjects() : []),
    ...rankingObjects,
    clientService,
    clients,
    autoscaler,
    ingress,
  ];
}

/**
 * O(1). A three-member etcd for the shards' elections: a headless Service and a StatefulSet, one
 * member per node, leases checkpointed so that an etcd leader change does not reset a dead
 * primary's lease.
 */
function etcdObjects(): Array<Record<string, unknown>> {
  const component = labels('etcd');
  const peers = Array.from(
    { length: ETCD_MEMBERS },
    (_, i) => `${ETCD}-${i}=http://${ETCD}-${i}.${ETCD}:2380`,
  );
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: ETCD, labels: component },
    spec: {
      clusterIP: 'None',
      // Members must find each other before any is ready.
      publishNotReadyAddresses: true,
      selector: component,
      ports: [
        { name: 'client', port: 2379, targetPort: 'client' },
        { name: 'peer', port: 2380, targetPort: 'peer' },
      ],
    },
  };
  const set = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: ETCD, labels: component },
    spec: {
      serviceName: ETCD,
      replicas: ETCD_MEMBERS,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: component },
      template: {
        metadata: { labels: component },
        spec: {
          securityContext: podSecurity,
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { labelSelector: { matchLabels: component }, topologyKey: 'kubernetes.io/hostname' },
              ],
            },
          },
          containers: [
            {
              name: 'etcd',
              image: ETCD_IMAGE,
              command: ['/usr/local/bin/etcd'],
              // etcd reads each ETCD_* variable as its flag.
              env: [
                { name: 'ETCD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'ETCD_DATA_DIR', value: '/var/lib/etcd/data' },
                { name: 'ETCD_LISTEN_CLIENT_URLS', value: 'http://0.0.0.0:2379' },
                { name: 'ETCD_ADVERTISE_CLIENT_URLS', value: `http://$(ETCD_NAME).${ETCD}:2379` },
                { name: 'ETCD_LISTEN_PEER_URLS', value: 'http://0.0.0.0:2380' },
                { name: 'ETCD_INITIAL_ADVERTISE_PEER_URLS', value: `http://$(ETCD_NAME).${ETCD}:2380` },
                { name: 'ETCD_INITIAL_CLUSTER', value: peers.join(',') },
                { name: 'ETCD_INITIAL_CLUSTER_STATE', value: 'new' },
                { name: 'ETCD_INITIAL_CLUSTER_TOKEN', value: ETCD },
                { name: 'ETCD_EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT', value: 'true' },
                { name: 'ETCD_EXPERIMENTAL_ENABLE_LEASE_CHECKPOINT_PERSIST', value: 'true' },
              ],
              ports: [
                { name: 'client', containerPort: 2379 },
                { name: 'peer', containerPort: 2380 },
              ],
              readinessProbe: { httpGet: { path: '/health', port: 'client' }, periodSeconds: 5 },
              livenessProbe: {
                httpGet: { path: '/health', port: 'client' },
                periodSeconds: 10,
                failureThreshold: 6,
              },
              resources: {
                requests: { cpu: '250m', memory: '256Mi' },
                limits: { cpu: '1', memory: '1Gi' },
              },
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/etcd' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [dataClaim(component, '2Gi')],
    },
  };
  return [service, set];
}

/** O(shards). The fleet as one multi-document YAML file. */
export function fleetYaml(o: FleetOptions): string {
  const flags = `--shards ${o.shards}${o.replicas ? ` --replicas ${o.replicas}` : ''}`;
  const head = `# Rendered by \`pnpm k8s ${flags}\` (scripts/kubernetes.ts); edit that, not this.\n`;
  return (
    head +
    fleet(o)
      .map((doc) => `---\n${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`)
      .join('')
  );
}

/** The committed renders: deploy/kubernetes/scoreboard-<n>-shard(s).yaml. */
export const RENDERS = [
  ...[1, 3].map((shards) => ({
    shards,
    replicas: 0,
    file: join('deploy', 'kubernetes', `scoreboard-${shards}-${shards === 1 ? 'shard' : 'shards'}.yaml`),
  })),
  // Three shards of a primary and a standby each, elected in etcd.
  { shards: 3, replicas: 1, file: join('deploy', 'kubernetes', 'scoreboard-3-shards-replicated.yaml') },
];
export const DEFAULT_IMAGE = 'scoreboard:latest';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      shards: { type: 'string', default: '1' },
      replicas: { type: 'string', default: '0' },
      image: { type: 'string', default: DEFAULT_IMAGE },
      write: { type: 'boolean', default: false },
    },
  });
  if (values.write) {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    for (const { shards, replicas, file } of RENDERS) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), fleetYaml({ shards, replicas, image: values.image }));
      process.stderr.write(`wrote ${file}\n`);
    }
  } else {
    process.stdout.write(
      fleetYaml({ shards: Number(values.shards), replicas: Number(values.replicas), image: values.image }),
    );
  }
}
