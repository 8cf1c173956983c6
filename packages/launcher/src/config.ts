/** The launcher's settings: the shape of the whole system. */
import {
  clientsSetting,
  shardsSetting,
  ConfigError,
  adminKeySetting,
  rateBurstSetting,
  rateLimitSetting,
  trustProxySetting,
  dataDirSetting,
  debugSetting,
  gameSetting,
  fsyncSetting,
  persistSetting,
  hostSetting,
  logFormatSetting,
  logLevelSetting,
  metricsPortSetting,
  oneOf,
  integer,
  port,
  publicReadsSetting,
  rankingEndpointSetting,
  eventsEndpointSetting,
  readSettings,
  recoverSetting,
  requestTimeoutSetting,
  setting,
  type SettingsOf,
} from '@scoreboard/config';
import { rankingServerSettings } from '@scoreboard/ranking-server/config';
import { shardPlaces } from './shards.js';

/** Settings of the launcher (and, through it, of every process it starts). */
export const launcherSettings = {
  clients: clientsSetting(2, 'number of HTTP client processes'),
  shards: shardsSetting('ranking servers; each board lives on one, chosen by a hash of its id'),
  replicas: setting({
    env: 'REPLICAS',
    flag: 'replicas',
    parse: integer(0, 4),
    default: 0,
    doc: "standby ranking servers per shard, each with its own data folder, following its primary's log",
  }),
  replication: rankingServerSettings.replication,
  replicationBacklogBytes: rankingServerSettings.replicationBacklogBytes,
  etcdEndpoints: rankingServerSettings.etcdEndpoints,
  etcdPort: setting({
    env: 'ETCD_PORT',
    flag: 'etcd-port',
    parse: port,
    default: 2379,
    doc: "client port of the launcher's own etcd (REPLICAS > 0 without ETCD_ENDPOINTS); its peer port is the next",
  }),
  leaseTtlMs: rankingServerSettings.leaseTtlMs,
  basePort: setting({
    env: 'BASE_PORT',
    flag: 'base-port',
    parse: port,
    default: 8000,
    doc: 'port of the first client; the others follow',
  }),
  nginxPort: setting({
    env: 'NGINX_PORT',
    flag: 'nginx-port',
    parse: port,
    default: 8080,
    doc: 'port of the load-balanced endpoint',
  }),
  rankingEndpoint: rankingEndpointSetting,
  eventsEndpoint: eventsEndpointSetting,
  host: hostSetting,
  logLevel: { ...logLevelSetting, doc: 'pino log level of every process' },
  logFormat: logFormatSetting,
  debug: debugSetting,
  game: gameSetting,
  requestTimeoutMs: requestTimeoutSetting,
  persist: persistSetting,
  dataDir: dataDirSetting,
  fsync: fsyncSetting,
  recover: recoverSetting,
  adminKey: adminKeySetting,
  publicReads: publicReadsSetting,
  rateLimit: rateLimitSetting,
  rateBurst: rateBurstSetting,
  trustProxy: trustProxySetting,
  metricsPort: metricsPortSetting,
  maxBoards: rankingServerSettings.maxBoards,
  maxPlayers: rankingServerSettings.maxPlayers,
  banWrites: rankingServerSettings.banWrites,
  webhookAllow: rankingServerSettings.webhookAllow,
  webhookTimeoutMs: rankingServerSettings.webhookTimeoutMs,
  webhookRetryMs: rankingServerSettings.webhookRetryMs,
  nginx: setting({
    env: 'NGINX',
    flag: 'nginx',
    parse: oneOf(['auto', 'on', 'off']),
    default: 'auto',
    doc: 'run nginx: auto (if installed), on (required) or off',
  }),
  runDir: setting({
    env: 'RUN_DIR',
    flag: 'run-dir',
    parse: (v) => v,
    default: '.run',
    doc: "folder for nginx's rendered config and pid",
  }),
};

/** The launcher's validated configuration. */
export type LauncherConfig = SettingsOf<typeof launcherSettings>;

/** O(flags). Reads the configuration; throws ConfigError naming a bad setting. */
export function loadLauncherConfig(argv?: readonly string[], env?: NodeJS.ProcessEnv): LauncherConfig {
  const config = readSettings(launcherSettings, argv, env);
  if (config.basePort + config.clients - 1 > 65535) {
    throw new ConfigError(
      'BASE_PORT',
      `Invalid BASE_PORT=${config.basePort} with CLIENTS=${config.clients}: the last client port would pass 65535.`,
    );
  }
  shardPlaces(config); // throws when the shards' ports collide
  return config;
}
