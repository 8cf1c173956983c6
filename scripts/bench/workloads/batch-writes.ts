/** `POST /boards/bench/scores`: batches of 100 absolute totals for random players. */
import { PRODUCT_BOARD, seedLua, type Workload } from './workload.js';

const PER_BATCH = 100;

export const batchWrites: Workload = {
  name: 'POST batch of 100',
  entriesPerRequest: PER_BATCH,
  lua: (n) => `${seedLua}wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local items = {}
  for i = 1, ${PER_BATCH} do
    items[i] = '{"user":' .. math.random(0, ${n - 1}) .. ',"total":' .. math.random(0, 1000000) .. '}'
  end
  return wrk.format(nil, "/boards/${PRODUCT_BOARD}/scores", nil, '{"scores":[' .. table.concat(items, ",") .. ']}')
end\n`,
};
