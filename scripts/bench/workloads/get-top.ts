/** `GET /top/100`: the same page for every reader. */
import type { Workload } from './workload.js';

export const getTop: Workload = { name: 'GET /top/100', lua: () => `wrk.path = "/top/100"\n` };
