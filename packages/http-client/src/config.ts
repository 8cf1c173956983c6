/** The HTTP client process's settings. */
import {
  debugSetting,
  hostSetting,
  logLevelSetting,
  port,
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
};

/** The HTTP client's validated configuration. */
export type HttpClientConfig = SettingsOf<typeof httpClientSettings>;

/** O(flags). Reads the configuration; throws ConfigError naming a bad setting. */
export function loadHttpClientConfig(argv?: readonly string[], env?: NodeJS.ProcessEnv): HttpClientConfig {
  return readSettings(httpClientSettings, argv, env);
}
