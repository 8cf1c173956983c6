/** Validated per-process configuration from flags and environment. */
export {
  ConfigError,
  describeSettings,
  readSettings,
  setting,
  type Parser,
  type Setting,
  type SettingsOf,
  type SettingsSpec,
} from './settings.js';
export { LOG_LEVELS, boolean, host, integer, logLevel, oneOf, port, zmqEndpoint } from './parsers.js';
export {
  dataDirSetting,
  debugSetting,
  fsyncSetting,
  persistSetting,
  hostSetting,
  logLevelSetting,
  rankingEndpointSetting,
  recoverSetting,
  requestTimeoutSetting,
} from './shared-settings.js';
export { SUPERVISED_ENV, loadConfigOrExit, stopOnSignals } from './lifecycle.js';
