/** What a workload is: a name and the wrk Lua script that drives it on a board of `users`. */

/** One load pattern for wrk. */
export interface Workload {
  name: string;
  /** The wrk Lua script for a board of `users` users (ids 0 … users-1). */
  lua: (users: number) => string;
}

/** Seeds Lua's random numbers per wrk thread, so threads do not send the same sequence. */
export const seedLua = `math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16))\n`;

/** Makes every request of a script a JSON PUT. */
export const putHeaders = `wrk.method = "PUT"\nwrk.headers["Content-Type"] = "application/json"\n`;
