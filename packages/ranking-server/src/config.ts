/** The ranking server's settings. */
import { logLevel, readSettings, setting, zmqEndpoint, type SettingsOf } from '@scoreboard/config';

/** Settings of the ranking server process. */
export const rankingServerSettings = {
  endpoint: setting({
    env: 'RANKING_ENDPOINT',
    flag: 'ranking-endpoint',
    parse: zmqEndpoint,
    default: 'tcp://127.0.0.1:5555',
    doc: 'ZeroMQ endpoint the ranking server binds',
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    flag: 'log-level',
    parse: logLevel,
    default: 'info',
    doc: 'pino log level',
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
