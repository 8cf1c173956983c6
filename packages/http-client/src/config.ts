/** The HTTP client process's settings. */
import {
  adminKeySetting,
  debugSetting,
  hostSetting,
  logLevelSetting,
  port,
  publicReadsSetting,
  rankingEndpointSetting,
  readSettings,
  requestTimeoutSetting,
  setting,
  type SettingsOf,
} from '@scoreboard/config';

/** Settings of one HTTP client process. */
export const httpClientSettings = {
  port: setting({ env: 'PORT', flag: 'port', parse: port, default: 8000, doc: 'HTTP port of this client' }),
  host: hostSetting,
  rankingEndpoint: rankingEndpointSetting,
  requestTimeoutMs: requestTimeoutSetting,
  logLevel: logLevelSetting,
  debug: debugSetting,
  adminKey: adminKeySetting,
  publicReads: publicReadsSetting,
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
