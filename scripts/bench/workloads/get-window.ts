/** `GET /top/P/5`: the window around a random position. */
import { seedLua, type Workload } from './workload.js';

export const getWindow: Workload = {
  name: 'GET /top/P/5',
  lua: (n) => `${seedLua}request = function()
  return wrk.format("GET", "/top/" .. math.random(1, ${n}) .. "/5")
end\n`,
};
