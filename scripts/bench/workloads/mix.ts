/** 90 % relative `PUT /score`, 10 % `GET /users/:id`. */
import { seedLua, type Workload } from './workload.js';

export const mix: Workload = {
  name: 'mix 90% write',
  lua: (n) => `${seedLua}request = function()
  if math.random() < 0.9 then
    return wrk.format("PUT", "/score", {["Content-Type"] = "application/json"}, '{"user":' .. math.random(0, ${n - 1}) .. ',"score":"+' .. math.random(1, 100) .. '"}')
  end
  return wrk.format("GET", "/users/" .. math.random(0, ${n - 1}))
end\n`,
};
