/** The HTTP client process's settings. */
import {
  clientsSetting,
  adminKeySetting,
  debugSetting,
  hostSetting,
  logFormatSetting,
  logLevelSetting,
  port,
  publicReadsSetting,
  rateBurstSetting,
  rateLimitSetting,
  rankingEndpointsSetting,
  eventsEndpointsSetting,
  etcdEndpointsSetting,
  readSettings,
  requestTimeoutSetting,
  setting,
  trustProxySetting,
  type SettingsOf,
  webhookAllowSetting,
} from '@scoreboard/config';

/** Settings of one HTTP client process. */
export const httpClientSettings = {
  port: setting({ env: 'PORT', flag: 'port', parse: port, default: 8000, doc: 'HTTP port of this client' }),
  host: hostSetting,
  rankingEndpoints: rankingEndpointsSetting,
  eventsEndpoints: eventsEndpointsSetting,
  etcdEndpoints: etcdEndpointsSetting,
  requestTimeoutMs: requestTimeoutSetting,
  logLevel: logLevelSetting,
  logFormat: logFormatSetting,
  debug: debugSetting,
  adminKey: adminKeySetting,
  publicReads: publicReadsSetting,
  rateLimit: rateLimitSetting,
  rateBurst: rateBurstSetting,
  trustProxy: trustProxySetting,
  webhookAllow: webhookAllowSetting,
  clients: clientsSetting(
    1,
    'client processes sharing the load: each enforces its share of every rate limit',
  ),
};

/** The HTTP client's validated configuration. */
export type HttpClientConfig = SettingsOf<typeof httpClientSettings>;

/** O(flags). Reads the configuration; throws ConfigError naming a bad setting. */
export function loadHttpClientConfig(argv?: readonly string[], env?: NodeJS.ProcessEnv): HttpClientConfig {
  return readSettings(httpClientSettings, argv, env);
}

/** What start-up says, once, when ADMIN_KEY is not set. */
export const KEYS_OFF_WARNING =
  'ADMIN_KEY is not set: API keys are off, and anyone who can reach the service may write, reconfigure and delete';
