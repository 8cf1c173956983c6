/**
 * Settings that more than one process reads, defined once so the name, default and meaning of
 * e.g. RANKING_ENDPOINT are the same in the launcher, the clients and the ranking server.
 */
import { boolean, host, integer, logLevel, oneOf, zmqEndpoint, zmqEndpoints } from './parsers.js';
import { setting } from './settings.js';
import { webhookAllow } from './webhook-allow.js';

/** Where webhooks may be sent: checked when one is set (clients) and at each delivery (ranking server). */
export const webhookAllowSetting = setting({
  env: 'WEBHOOK_ALLOW',
  flag: 'webhook-allow',
  parse: webhookAllow,
  default: [] as string[],
  doc: 'CIDRs, addresses or host names webhooks may be sent to, comma-separated; empty refuses all',
});

/** ZeroMQ endpoint of the ranking server (bound by it, connected to by the clients). */
export const rankingEndpointSetting = setting({
  env: 'RANKING_ENDPOINT',
  flag: 'ranking-endpoint',
  parse: zmqEndpoint,
  default: 'tcp://127.0.0.1:5555',
  doc: 'ZeroMQ endpoint of the ranking server',
});

/**
 * What a client connects to: the ranking server's endpoint, or with shards one per shard in shard
 * order (the same variable as the server's own, which takes one).
 */
export const rankingEndpointsSetting = setting({
  env: 'RANKING_ENDPOINT',
  flag: 'ranking-endpoint',
  parse: zmqEndpoints,
  default: ['tcp://127.0.0.1:5555'],
  doc: 'ZeroMQ endpoint of the ranking server; a client takes one per shard, comma-separated, in shard order',
});

/** What a client subscribes to: each shard's change notices, in shard order. */
export const eventsEndpointsSetting = setting({
  env: 'EVENTS_ENDPOINT',
  flag: 'events-endpoint',
  parse: zmqEndpoints,
  default: ['tcp://127.0.0.1:5556'],
  doc: 'ZeroMQ endpoint of the ranking server’s change notices; a client takes one per shard, comma-separated',
});

/** ZeroMQ endpoint where the ranking server publishes board changes (PUB; clients subscribe). */
export const eventsEndpointSetting = setting({
  env: 'EVENTS_ENDPOINT',
  flag: 'events-endpoint',
  parse: zmqEndpoint,
  default: 'tcp://127.0.0.1:5556',
  doc: 'ZeroMQ endpoint of the ranking server’s change notices (live pages)',
});

/** pino log level. */
export const logLevelSetting = setting({
  env: 'LOG_LEVEL',
  flag: 'log-level',
  parse: logLevel,
  default: 'info',
  doc: 'pino log level',
});

/** The ways a process can write its log. */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
/** One of {@link LOG_FORMATS}. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** How logs are written: JSON lines, or pretty for a person. */
export const logFormatSetting = setting<LogFormat>({
  env: 'LOG_FORMAT',
  flag: 'log-format',
  parse: oneOf(LOG_FORMATS),
  default: 'auto',
  doc: 'log lines: json, pretty, or auto (pretty when stdout is a terminal)',
});

/** Address to listen on. */
export const hostSetting = setting({
  env: 'HOST',
  flag: 'host',
  parse: host,
  default: '127.0.0.1',
  doc: 'address nginx and the clients listen on',
});

/** Test mode. */
/** Whether the game is on: its board is made at start when missing (see GAME_BOARD). */
export const gameSetting = setting({
  env: 'GAME',
  flag: 'game',
  parse: boolean,
  default: true,
  doc: 'the game at GET /: the ranking server holding its board ("runner") makes it at start when missing',
});

export const debugSetting = setting({
  env: 'DEBUG',
  flag: 'debug',
  parse: boolean,
  default: false,
  doc: 'test mode: enables DELETE /reset and GET /debug/digest',
});

/** How long a client waits for the ranking server. */
export const requestTimeoutSetting = setting({
  env: 'REQUEST_TIMEOUT_MS',
  flag: 'request-timeout-ms',
  parse: integer(10, 60_000),
  default: 2000,
  doc: 'ms a client waits for the ranking server before answering 503',
});

/** Where the ranking server keeps its snapshot and append-only log. */
export const dataDirSetting = setting({
  env: 'DATA_DIR',
  flag: 'data-dir',
  parse: (raw) => raw,
  default: './data',
  doc: "the ranking server's data folder (snapshot and append-only log)",
});

/** The fsync policies of the append-only log. */
export const FSYNC_POLICIES = ['always', 'everysec', 'no'] as const;
/** One of {@link FSYNC_POLICIES}. */
export type FsyncPolicy = (typeof FSYNC_POLICIES)[number];

/** When the append-only log is fsynced. */
export const fsyncSetting = setting<FsyncPolicy>({
  env: 'FSYNC',
  flag: 'fsync',
  parse: oneOf(FSYNC_POLICIES),
  default: 'always',
  doc: 'fsync policy of the append-only log: always (group commit), everysec or no',
});

/** Whether the ranking server persists at all. */
export const persistSetting = setting({
  env: 'PERSIST',
  flag: 'persist',
  parse: boolean,
  default: true,
  doc: 'keep the board on disk (0: memory only, lost on restart)',
});

/** Start even if the log has a corrupt record in the middle. */
export const recoverSetting = setting({
  env: 'RECOVER',
  flag: 'recover',
  parse: boolean,
  default: false,
  doc: 'start even if the log has a corrupt record: keep what precedes it, drop the rest',
});

/** The admin API key: set, it turns keys on (and is an admin key); empty, everything is open. */
export const adminKeySetting = setting({
  env: 'ADMIN_KEY',
  flag: 'admin-key',
  parse: (raw) => {
    if (raw !== '' && !/^[\x21-\x7e]{16,256}$/.test(raw)) {
      throw new Error('must be 16–256 visible ASCII characters (or empty: keys off)');
    }
    return raw;
  },
  default: '',
  doc: 'admin API key; set, every write needs a key (empty: keys off, all open)',
});

/** Requests per second one client address may send (0: no limit). */
export const rateLimitSetting = setting({
  env: 'RATE_LIMIT',
  flag: 'rate-limit',
  parse: integer(0, 10_000_000),
  default: 0,
  doc: 'requests per second per client address (0: no limit)',
});

/** How many requests an address may send at once. */
export const rateBurstSetting = setting({
  env: 'RATE_BURST',
  flag: 'rate-burst',
  parse: integer(0, 10_000_000),
  default: 0,
  doc: 'requests an address may send at once (0: one second of RATE_LIMIT)',
});

/** Which peers' X-Forwarded-For the clients believe (nginx's address). */
export const trustProxySetting = setting({
  env: 'TRUST_PROXY',
  flag: 'trust-proxy',
  parse: (raw) => raw,
  default: 'loopback',
  doc: 'addresses (or loopback/uniquelocal) whose X-Forwarded-For gives the client address',
});

/** Whether reads need a key when keys are on. */
export const publicReadsSetting = setting({
  env: 'PUBLIC_READS',
  flag: 'public-reads',
  parse: boolean,
  default: true,
  doc: 'with keys on, reads need no key (0: reads need a read key)',
});

/** Where the ranking server serves its Prometheus metrics. */
export const metricsPortSetting = setting({
  env: 'METRICS_PORT',
  flag: 'metrics-port',
  parse: integer(0, 65535),
  default: 9464,
  doc: "port of the ranking server's Prometheus metrics, on HOST (0: off)",
});

/** O(n). Comma-separated etcd client URLs (http://host:port), or '' for none. */
const etcdUrls = (raw: string): string[] => {
  const v = raw.trim();
  if (v === '') return [];
  const urls = v.split(',').map((u) => u.trim());
  for (const u of urls) {
    if (!/^https?:\/\/[A-Za-z0-9.[\]:_-]+:[0-9]{1,5}$/.test(u))
      throw new Error('expected http://HOST:PORT[,…]');
  }
  return urls;
};

/**
 * ETCD_ENDPOINTS: where the shards' leader keys live (ranking servers campaign and fence there,
 * clients watch them). Empty: no elections (the launcher starts an etcd of its own when REPLICAS > 0).
 */
export const etcdEndpointsSetting = setting({
  env: 'ETCD_ENDPOINTS',
  flag: 'etcd-endpoints',
  parse: etcdUrls,
  default: [] as string[],
  doc: "etcd's client URLs, comma-separated, for the shards' leader keys ('' = none)",
});
