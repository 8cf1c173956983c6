/** `GET /boards/bench/around/:user?size=5`: the 11 rows around a random player, with names. */
import { PRODUCT_BOARD, seedLua, type Workload } from './workload.js';

export const aroundMe: Workload = {
  name: 'GET around-me',
  lua: (n) => `${seedLua}request = function()
  return wrk.format("GET", "/boards/${PRODUCT_BOARD}/around/" .. math.random(0, ${n - 1}) .. "?size=5")
end\n`,
};
