/** The ranking server's settings. */
import { logLevelSetting, rankingEndpointSetting, readSettings, type SettingsOf } from '@scoreboard/config';

/** Settings of the ranking server process. */
export const rankingServerSettings = {
  endpoint: { ...rankingEndpointSetting, doc: 'ZeroMQ endpoint the ranking server binds' },
  logLevel: logLevelSetting,
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
