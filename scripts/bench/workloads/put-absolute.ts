/** `PUT /score` with an absolute total for a random user. */
import { putHeaders, seedLua, type Workload } from './workload.js';

export const putAbsolute: Workload = {
  name: 'PUT absolute',
  lua: (n) => `${seedLua}${putHeaders}request = function()
  return wrk.format(nil, "/score", nil, '{"user":' .. math.random(0, ${n - 1}) .. ',"total":' .. math.random(0, 1000000) .. '}')
end\n`,
};
