/** `POST /boards/bench/scores`: batches of absolute totals for random players. */
import { PRODUCT_BOARD, seedLua, type Workload } from './workload.js';

/** O(1). A workload writing `perBatch` random (user, total) pairs per request. */
export function batchOf(perBatch: number): Workload {
  return {
    name: `POST batch of ${perBatch}`,
    entriesPerRequest: perBatch,
    lua: (n) => `${seedLua}wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local items = {}
  for i = 1, ${perBatch} do
    items[i] = '{"user":' .. math.random(0, ${n - 1}) .. ',"total":' .. math.random(0, 1000000) .. '}'
  end
  return wrk.format(nil, "/boards/${PRODUCT_BOARD}/scores", nil, '{"scores":[' .. table.concat(items, ",") .. ']}')
end\n`,
  };
}

/** The product table's batch workload: 100 per request. */
export const batchWrites: Workload = batchOf(100);
