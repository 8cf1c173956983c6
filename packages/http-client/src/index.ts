/** The HTTP gateway: `buildApp`, the ranking client and the process config. */
export { buildApp, type AppOptions } from './app.js';
export {
  RankingClient,
  type CallOptions,
  type RankingApi,
  type RankingClientOptions,
} from './ranking-client.js';
export { httpClientSettings, type HttpClientConfig } from './config.js';
