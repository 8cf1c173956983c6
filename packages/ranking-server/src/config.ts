/** The ranking server's settings. */
import {
  gameSetting,
  shardSetting,
  shardsSetting,
  dataDirSetting,
  fsyncSetting,
  integer,
  oneOf,
  hostSetting,
  logFormatSetting,
  logLevelSetting,
  metricsPortSetting,
  persistSetting,
  rankingEndpointSetting,
  eventsEndpointSetting,
  etcdEndpointsSetting,
  readSettings,
  recoverSetting,
  setting,
  zmqEndpoint,
  type SettingsOf,
  webhookAllowSetting,
} from '@scoreboard/config';

/** O(1). An endpoint, or '' for none. */
const optionalEndpoint = (raw: string): string => (raw === '' ? '' : zmqEndpoint(raw));

/** Settings of the ranking server process. */
export const rankingServerSettings = {
  endpoint: { ...rankingEndpointSetting, doc: 'ZeroMQ endpoint the ranking server binds' },
  eventsEndpoint: eventsEndpointSetting,
  logLevel: logLevelSetting,
  logFormat: logFormatSetting,
  metricsPort: metricsPortSetting,
  host: { ...hostSetting, doc: 'address the metrics endpoint listens on' },
  persist: persistSetting,
  dataDir: dataDirSetting,
  fsync: fsyncSetting,
  snapshotBytes: setting({
    env: 'SNAPSHOT_BYTES',
    flag: 'snapshot-bytes',
    parse: integer(4096, 2 ** 40),
    default: 64 * 1024 * 1024,
    doc: 'compact the log into a snapshot when it grows past this many bytes',
  }),
  recover: recoverSetting,
  shards: shardsSetting('ranking servers in the deployment: the placement a fresh data folder starts with'),
  shard: shardSetting,
  game: gameSetting,
  maxBoards: setting({
    env: 'MAX_BOARDS',
    flag: 'max-boards',
    // A player's count of boards is kept in two bytes.
    parse: integer(1, 65_535),
    default: 10_000,
    doc: 'most boards at once (the default board counts); past it, creating one answers 409',
  }),
  replicationEndpoint: setting({
    env: 'REPLICATION_ENDPOINT',
    flag: 'replication-endpoint',
    parse: optionalEndpoint,
    default: '',
    doc: "ZeroMQ endpoint a primary binds for its standbys ('' = no standbys)",
  }),
  replicaOf: setting({
    env: 'REPLICA_OF',
    flag: 'replica-of',
    parse: optionalEndpoint,
    default: '',
    doc: "a standby's primary: its REPLICATION_ENDPOINT ('' = this server is a primary)",
  }),
  etcdEndpoints: etcdEndpointsSetting,
  advertiseHost: setting({
    env: 'ADVERTISE_HOST',
    flag: 'advertise-host',
    parse: (raw: string) => {
      if (!/^[A-Za-z0-9.-]*$/.test(raw)) throw new Error('a host name or an IPv4 address');
      return raw;
    },
    default: '',
    doc: "the host others reach this member at, in the endpoints it publishes in etcd ('' = the bound one)",
  }),
  leaseTtlMs: setting({
    env: 'LEASE_TTL_MS',
    flag: 'lease-ttl-ms',
    parse: integer(1000, 60_000),
    default: 2000,
    doc: "an elected primary's lease in etcd (whole seconds); it stops acknowledging writes 500 ms before it could lapse",
  }),
  replication: setting<'sync' | 'async'>({
    env: 'REPLICATION',
    flag: 'replication',
    parse: oneOf(['sync', 'async']),
    default: 'sync',
    doc: "sync: a write is acknowledged once a standby of the synchronous set holds it too; async: once the primary's log does",
  }),
  replicationBacklogBytes: setting({
    env: 'REPLICATION_BACKLOG_BYTES',
    flag: 'replication-backlog-bytes',
    parse: integer(0, 2 ** 40),
    default: 64 * 1024 * 1024,
    doc: 'recent log bytes a primary keeps for standbys that reconnect behind (further behind: a snapshot)',
  }),
  maxPlayers: setting({
    env: 'MAX_PLAYERS',
    flag: 'max-players',
    parse: integer(1, 1_000_000_000),
    default: 50_000_000,
    doc: 'most players (with a profile or an entry) at once; past it, a new player answers 409',
  }),
  banWrites: setting<'accept' | 'refuse'>({
    env: 'BAN_WRITES',
    flag: 'ban-writes',
    parse: oneOf(['accept', 'refuse']),
    default: 'accept',
    doc: "a banned player's writes: accept (applied to their hidden entries; they cannot tell) or refuse (403)",
  }),
  webhookAllow: webhookAllowSetting,
  webhookTimeoutMs: setting({
    env: 'WEBHOOK_TIMEOUT_MS',
    flag: 'webhook-timeout-ms',
    parse: integer(100, 120_000),
    default: 10_000,
    doc: 'how long a webhook delivery waits for the receiver before it counts as failed',
  }),
  webhookRetryMs: setting({
    env: 'WEBHOOK_RETRY_MS',
    flag: 'webhook-retry-ms',
    parse: integer(10, 3_600_000),
    default: 1000,
    doc: 'the first retry of a failed webhook delivery; each next one waits twice as long, at most 10 minutes',
  }),
};

/** The ranking server's validated configuration. */
export type RankingServerConfig = SettingsOf<typeof rankingServerSettings>;

/** O(flags). Reads the configuration; throws ConfigError naming a bad setting. */
export function loadRankingServerConfig(
  argv?: readonly string[],
  env?: NodeJS.ProcessEnv,
): RankingServerConfig {
  return readSettings(rankingServerSettings, argv, env);
}

/**
 * O(length). `endpoint` (`tcp://host:port`) as others reach it: its host replaced by `host`,
 * unless `host` is empty or the endpoint is not TCP (then unchanged).
 */
export function advertised(endpoint: string, host: string): string {
  if (host === '') return endpoint;
  const m = /^tcp:\/\/[^/]+:(\d+)$/.exec(endpoint);
  return m ? `tcp://${host}:${m[1]}` : endpoint;
}
