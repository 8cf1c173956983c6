/** The HTTP gateway: `buildApp`, the ranking client and the process config. */
export { buildApp, type AppOptions } from './app.js';
export { ClientMetrics, type HopState } from './metrics.js';
export { KeyTable, hashOf, newSecret, type Caller } from './auth/key-table.js';
export {
  RankingClient,
  type CallOptions,
  type RankingApi,
  type RankingClientOptions,
} from './ranking-client.js';
export { KEYS_OFF_WARNING, httpClientSettings, type HttpClientConfig } from './config.js';
