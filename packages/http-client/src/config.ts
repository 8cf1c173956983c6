/** The HTTP client process's settings. */
import {
  boolean,
  host,
  integer,
  logLevel,
  port,
  readSettings,
  setting,
  zmqEndpoint,
  type SettingsOf,
} from '@scoreboard/config';

/** Settings of one HTTP client process. */
export const httpClientSettings = {
  port: setting({ env: 'PORT', flag: 'port', parse: port, default: 8000, doc: 'HTTP port of this client' }),
  host: setting({
    env: 'HOST',
    flag: 'host',
    parse: host,
    default: '127.0.0.1',
    doc: 'address to listen on',
  }),
  rankingEndpoint: setting({
    env: 'RANKING_ENDPOINT',
    flag: 'ranking-endpoint',
    parse: zmqEndpoint,
    default: 'tcp://127.0.0.1:5555',
    doc: 'ZeroMQ endpoint of the ranking server',
  }),
  requestTimeoutMs: setting({
    env: 'REQUEST_TIMEOUT_MS',
    flag: 'request-timeout-ms',
    parse: integer(10, 60_000),
    default: 2000,
    doc: 'ms to wait for the ranking server before answering 503',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    flag: 'log-level',
    parse: logLevel,
    default: 'info',
    doc: 'pino log level',
  }),
  debug: setting({
    env: 'DEBUG',
    flag: 'debug',
    parse: boolean,
    default: false,
    doc: 'test mode: enables DELETE /reset',
  }),
};

/** The HTTP client's validated configuration. */
export type HttpClientConfig = SettingsOf<typeof httpClientSettings>;

/** O(flags). Reads the configuration; throws ConfigError naming a bad setting. */
export function loadHttpClientConfig(argv?: readonly string[], env?: NodeJS.ProcessEnv): HttpClientConfig {
  return readSettings(httpClientSettings, argv, env);
}
