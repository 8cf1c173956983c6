/**
 * The launcher: starts the ranking server (one per shard), N HTTP clients and nginx as supervised children, waits
 * until each is ready, and stops them in reverse order (nginx, clients, server) so in-flight
 * requests finish. Without nginx it serves the clients directly and says how to install nginx.
 */
import { connectHost, passOnSettings } from '@scoreboard/config';
import { KEYS_OFF_WARNING, httpClientSettings } from '@scoreboard/gateway/config';
import { SUPERVISED_ENV } from '@scoreboard/lifecycle';
import { rankingServerSettings } from '@scoreboard/ranking-server/config';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { launcherSettings, type LauncherConfig } from './config.js';
import { etcdArgs, etcdEnv, findEtcd } from './etcd.js';
import { findNginx, nginxProcess, portAccepts } from './nginx.js';
import { replicaPlaces, shardPlaces, type ShardPlace } from './shards.js';
import { Supervised } from './supervisor.js';

const PACKAGES = resolve(import.meta.dirname, '../..');
/** Entry points of the built processes. */
export const RANKING_SERVER_MAIN = resolve(PACKAGES, 'ranking-server/dist/ranking-server.mjs');
export const GATEWAY_MAIN = resolve(PACKAGES, 'gateway/dist/gateway.mjs');

/** Where the running system can be reached. */
export interface Endpoints {
  /** The load-balanced URL (nginx), or the first client's when nginx is not running. */
  url: string;
  clients: string[];
  /** Shard 0's endpoint (the only one without shards). */
  rankingEndpoint: string;
  /** Every shard's endpoint, in shard order. */
  rankingEndpoints: string[];
  /** Every standby's endpoint (REPLICAS per shard), shard by shard. */
  standbyEndpoints: string[];
  nginx: boolean;
  /**
   * Every Prometheus scrape address: each client's, then each ranking server's — primaries, then
   * standbys (unless METRICS_PORT=0).
   */
  metrics: string[];
}

/** The whole system as one start/stop unit. */
export class Launcher {
  /** The ranking servers, one per shard (the primaries). */
  private servers: Supervised[] = [];
  /** The standbys (REPLICAS per shard), shard by shard. */
  private standbys: Supervised[] = [];
  /** The launcher's own etcd (REPLICAS > 0 without ETCD_ENDPOINTS). */
  private etcd: Supervised | undefined;
  private clients: Supervised[] = [];
  private nginx: Supervised | undefined;
  private readonly log: Logger;

  /** O(1). Nothing starts until `start()`. */
  constructor(
    private readonly config: LauncherConfig,
    private readonly logger: Logger,
  ) {
    this.log = logger.child({ module: 'launcher' });
  }

  /** The supervised children, for tests and status: server (shard 0), every shard, clients, nginx. */
  get children(): {
    server?: Supervised;
    shards: Supervised[];
    standbys: Supervised[];
    clients: Supervised[];
    nginx?: Supervised;
    etcd?: Supervised;
  } {
    return {
      ...(this.etcd ? { etcd: this.etcd } : {}),
      ...(this.servers[0] ? { server: this.servers[0] } : {}),
      shards: this.servers,
      standbys: this.standbys,
      clients: this.clients,
      ...(this.nginx ? { nginx: this.nginx } : {}),
    };
  }

  /** Starts everything and resolves with the endpoints once all are ready; stops all on failure. */
  async start(): Promise<Endpoints> {
    const c = this.config;
    // Each child gets the launcher's values of the settings it reads itself (the same variable in
    // both specs), over the inherited environment.
    if (c.adminKey === '') this.log.warn(KEYS_OFF_WARNING);
    const childEnv = (spec: Parameters<typeof passOnSettings>[2]): NodeJS.ProcessEnv => ({
      ...process.env,
      ...passOnSettings(launcherSettings, c, spec),
      [SUPERVISED_ENV]: '1',
    });
    const places = shardPlaces(c);
    try {
      const replicas = replicaPlaces(c);
      const rankingServer = (name: string, place: ShardPlace, shard: number, env: NodeJS.ProcessEnv) =>
        new Supervised(
          {
            name,
            command: process.execPath,
            args: [RANKING_SERVER_MAIN],
            env: {
              ...childEnv(rankingServerSettings),
              RANKING_ENDPOINT: place.endpoint,
              EVENTS_ENDPOINT: place.eventsEndpoint,
              METRICS_PORT: String(place.metricsPort),
              DATA_DIR: place.dataDir,
              SHARD: String(shard),
              ...env,
            },
            ipc: true,
            // Loading a large board takes a while (about a second per million users here).
            readyTimeoutMs: 30 * 60_000,
          },
          this.logger,
        );
      // With standbys, every member of a shard takes part in its election in etcd: the launcher's
      // own one-member etcd unless ETCD_ENDPOINTS names a cluster.
      const etcdEndpoints = replicas.length > 0 ? await this.startEtcd() : [];
      const elected = etcdEndpoints.length > 0 ? { ETCD_ENDPOINTS: etcdEndpoints.join(',') } : {};
      this.servers = places.map((place, i) =>
        rankingServer(
          places.length === 1 ? 'ranking-server' : `ranking-server-${i}`,
          place,
          i,
          replicas[i] ? { REPLICATION_ENDPOINT: replicas[i].replication[0]!, ...elected } : {},
        ),
      );
      this.standbys = replicas.flatMap((r, i) =>
        r.standbys.map((place, k) =>
          rankingServer(
            `${places.length === 1 ? 'ranking-server' : `ranking-server-${i}`}-standby-${k + 1}`,
            place,
            i,
            { REPLICATION_ENDPOINT: r.replication[k + 1]!, ...elected },
          ),
        ),
      );
      // Clients connect to every shard, in shard order.
      const shardEnv = {
        RANKING_ENDPOINT: places.map((p) => p.endpoint).join(','),
        EVENTS_ENDPOINT: places.map((p) => p.eventsEndpoint).join(','),
      };

      const ports = Array.from({ length: c.clients }, (_, i) => c.basePort + i);
      this.clients = ports.map(
        (port) =>
          new Supervised(
            {
              name: `client-${port}`,
              command: process.execPath,
              args: [GATEWAY_MAIN],
              env: { ...childEnv(httpClientSettings), ...shardEnv, ...elected, PORT: String(port) },
              ipc: true,
            },
            this.logger,
          ),
      );
      // The clients start while the server loads its data folder: their ZeroMQ sockets connect
      // whenever it binds, and nothing is answered through nginx before both are ready.
      await Promise.all([...this.servers, ...this.standbys, ...this.clients].map((child) => child.start()));

      const localHost = connectHost(c.host);
      const clientUrls = ports.map((p) => `http://${localHost}:${p}`);
      // A client is ready once it listens; its ZeroMQ sockets may still be (re)connecting to a
      // server that bound after it. "Up" means a request works: wait until each one reaches them.
      await Promise.all(clientUrls.map((u) => this.untilServing(u)));
      const nginx = await this.startNginx(ports, localHost);
      return {
        url: nginx ? `http://${localHost}:${c.nginxPort}` : clientUrls[0]!,
        clients: clientUrls,
        rankingEndpoint: c.rankingEndpoint,
        rankingEndpoints: places.map((p) => p.endpoint),
        standbyEndpoints: replicas.flatMap((r) => r.standbys.map((p) => p.endpoint)),
        nginx,
        metrics: [
          ...clientUrls.map((u) => `${u}/metrics`),
          ...[...places, ...replicas.flatMap((r) => r.standbys)]
            .filter((p) => p.metricsPort > 0)
            .map((p) => `http://${localHost}:${p.metricsPort}/metrics`),
        ],
      };
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stops nginx, then the clients (they drain in-flight requests), then the ranking servers, then etcd. */
  async stop(): Promise<void> {
    for (const child of [this.nginx, ...this.clients, ...this.servers, ...this.standbys, this.etcd])
      child?.stopRestarting();
    await this.nginx?.stop();
    await Promise.all(this.clients.map((client) => client.stop()));
    await Promise.all([...this.servers, ...this.standbys].map((server) => server.stop()));
    // Last: a primary that stops gives its leader key up in etcd.
    await this.etcd?.stop();
  }

  /**
   * Resolves once the client at `url` answers `/health-check` with 200 (it reaches the ranking
   * servers), polling every 20 ms; after 10 s it says so and goes on (a shard may be down on
   * purpose).
   */
  private async untilServing(url: string): Promise<void> {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      try {
        const res = await fetch(`${url}/health-check`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    this.log.warn({ url }, 'a client does not reach the ranking servers yet; going on');
  }

  /**
   * The etcd the shards' elections use: ETCD_ENDPOINTS when set; else a one-member etcd of the
   * launcher's own, installed like nginx (Debian: etcd-server), its data under the run folder,
   * leases checkpointed and persisted so an etcd restart does not renew a dead primary's lease.
   */
  private async startEtcd(): Promise<string[]> {
    const c = this.config;
    if (c.etcdEndpoints.length > 0) return c.etcdEndpoints;
    const bin = findEtcd();
    if (!bin) {
      throw new Error(
        'REPLICAS > 0 needs etcd for the shards\' elections: install it ("sudo apt-get install etcd-server" ' +
          'on Debian/Ubuntu) or name a cluster in ETCD_ENDPOINTS',
      );
    }
    const host = connectHost(c.host);
    const client = `http://${host}:${c.etcdPort}`;
    this.etcd = new Supervised(
      {
        name: 'etcd',
        command: bin,
        // etcd reads every ETCD_* variable as one of its flags: ours (ETCD_ENDPOINTS, ETCD_PORT) stay out.
        env: etcdEnv(process.env),
        args: etcdArgs({
          name: 'scoreboard',
          dataDir: resolve(c.runDir, 'etcd'),
          host,
          clientPort: c.etcdPort,
        }),
        ipc: false,
        probe: () => portAccepts(host, c.etcdPort),
      },
      this.logger,
    );
    await this.etcd.start();
    this.log.info({ endpoint: client }, "started etcd for the shards' elections");
    return [client];
  }

  private async startNginx(ports: number[], localHost: string): Promise<boolean> {
    const c = this.config;
    if (c.nginx === 'off') return false;
    const bin = findNginx();
    if (!bin) {
      if (c.nginx === 'on') throw new Error('NGINX=on but nginx is not installed');
      this.log.warn(
        'nginx is not installed, so the clients are served directly without a load balancer. ' +
          'Install it with "sudo apt-get install nginx" (Debian/Ubuntu), "sudo dnf install nginx" ' +
          '(Fedora) or "brew install nginx" (macOS), then start again.',
      );
      return false;
    }
    this.nginx = nginxProcess(
      bin,
      resolve(c.runDir, 'nginx'),
      { listenHost: c.host, listenPort: c.nginxPort, upstreams: ports.map((p) => `${localHost}:${p}`) },
      this.logger,
    );
    await this.nginx.start();
    return true;
  }
}
