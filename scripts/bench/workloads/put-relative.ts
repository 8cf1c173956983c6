/** `PUT /score` with a relative score for a random user: the durability and latency workload. */
import { putHeaders, seedLua, type Workload } from './workload.js';

export const putRelative: Workload = {
  name: 'PUT relative',
  lua: (n) => `${seedLua}${putHeaders}request = function()
  return wrk.format(nil, "/score", nil, '{"user":' .. math.random(0, ${n - 1}) .. ',"score":"+' .. math.random(1, 100) .. '"}')
end\n`,
};
