/** `GET /boards/bench/countries/:cc/top/25`: a random country's top page, with names. */
import { BENCH_COUNTRIES, PRODUCT_BOARD, seedLua, type Workload } from './workload.js';

const codes = `{${BENCH_COUNTRIES.map((c) => `"${c}"`).join(',')}}`;

export const countryTop: Workload = {
  name: 'GET country top 25',
  lua: () => `${seedLua}local codes = ${codes}
request = function()
  return wrk.format("GET", "/boards/${PRODUCT_BOARD}/countries/" .. codes[math.random(1, #codes)] .. "/top/25")
end\n`,
};
