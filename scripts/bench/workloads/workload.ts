/** What a workload is: a name and the wrk Lua script that drives it on a board of `users`. */

/** One load pattern for wrk. */
export interface Workload {
  name: string;
  /** The wrk Lua script for a board of `users` users (ids 0 … users-1). */
  lua: (users: number) => string;
  /** Board entries each request writes (a batch), to report entries per second. */
  entriesPerRequest?: number;
}

/** The board the product workloads use, preloaded with every user (a name and a country each). */
export const PRODUCT_BOARD = 'bench';

/** The countries the preloaded players come from: user u has BENCH_COUNTRIES[u % 30]. */
export const BENCH_COUNTRIES = [
  'US',
  'DE',
  'FR',
  'GB',
  'JP',
  'BR',
  'IN',
  'CN',
  'KR',
  'CA',
  'AU',
  'ES',
  'IT',
  'MX',
  'NL',
  'SE',
  'PL',
  'TR',
  'RU',
  'AR',
  'CL',
  'CO',
  'ZA',
  'NG',
  'EG',
  'ID',
  'PH',
  'VN',
  'TH',
  'UA',
] as const;

/** Seeds Lua's random numbers per wrk thread, so threads do not send the same sequence. */
export const seedLua = `math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16))\n`;

/** Makes every request of a script a JSON PUT. */
export const putHeaders = `wrk.method = "PUT"\nwrk.headers["Content-Type"] = "application/json"\n`;
