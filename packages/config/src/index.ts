/** Validated per-process configuration from flags and environment. */
export {
  ConfigError,
  describeSettings,
  passOnSettings,
  readSettings,
  setting,
  settingsDefaults,
  settingsEnv,
  type Parser,
  type Setting,
  type SettingsOf,
  type SettingsSpec,
} from './settings.js';
export { boolean, host, integer, logLevel, oneOf, port, zmqEndpoint } from './parsers.js';
export { checkWebhookUrl, webhookAllow, type Resolver, type WebhookTarget } from './webhook-allow.js';
export {
  FSYNC_POLICIES,
  adminKeySetting,
  rateBurstSetting,
  rateLimitSetting,
  trustProxySetting,
  dataDirSetting,
  debugSetting,
  gameSetting,
  fsyncSetting,
  persistSetting,
  publicReadsSetting,
  hostSetting,
  LOG_FORMATS,
  logFormatSetting,
  logLevelSetting,
  metricsPortSetting,
  rankingEndpointSetting,
  rankingEndpointsSetting,
  eventsEndpointSetting,
  eventsEndpointsSetting,
  etcdEndpointsSetting,
  recoverSetting,
  requestTimeoutSetting,
  webhookAllowSetting,
  type FsyncPolicy,
  type LogFormat,
} from './shared-settings.js';
export { connectHost } from './hosts.js';
export { MAX_CLIENTS, MAX_SHARDS } from './limits.js';
export { clientsSetting, shardDataDir, shardSetting, shardsSetting } from './shards.js';
