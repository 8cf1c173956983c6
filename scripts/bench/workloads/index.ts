/** Every workload, in table order. A new workload is a file here and a line below. */
import { aroundMe } from './around-me.js';
import { batchWrites } from './batch-writes.js';
import { countryTop } from './country-top.js';
import { friends } from './friends.js';
import { getTop } from './get-top.js';
import { getUser } from './get-user.js';
import { getWindow } from './get-window.js';
import { mix } from './mix.js';
import { putAbsolute } from './put-absolute.js';
import { putRelative } from './put-relative.js';
import type { Workload } from './workload.js';

export { putRelative } from './put-relative.js';
export { batchOf } from './batch-writes.js';
export { BENCH_COUNTRIES, PRODUCT_BOARD, type Workload } from './workload.js';

/** The main table's workloads: the original routes on the default board. */
export const ALL_WORKLOADS: readonly Workload[] = [putAbsolute, putRelative, getTop, getWindow, getUser, mix];

/** The product table's workloads: a named board whose players have names and countries. */
export const PRODUCT_WORKLOADS: readonly Workload[] = [aroundMe, countryTop, friends, batchWrites];
