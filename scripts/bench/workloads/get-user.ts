/** `GET /users/:id` of a random user. */
import { seedLua, type Workload } from './workload.js';

export const getUser: Workload = {
  name: 'GET /users/:id',
  lua: (n) => `${seedLua}request = function()
  return wrk.format("GET", "/users/" .. math.random(0, ${n - 1}))
end\n`,
};
