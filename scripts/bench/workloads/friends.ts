/** `GET /boards/bench/users?ids=…`: a friends leaderboard of 20 random players. */
import { PRODUCT_BOARD, seedLua, type Workload } from './workload.js';

export const friends: Workload = {
  name: 'GET friends (20)',
  lua: (n) => `${seedLua}request = function()
  local ids = {}
  for i = 1, 20 do ids[i] = math.random(0, ${n - 1}) end
  return wrk.format("GET", "/boards/${PRODUCT_BOARD}/users?ids=" .. table.concat(ids, ","))
end\n`,
};
