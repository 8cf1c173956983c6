/** Every workload of the main table, in table order. A new workload is a file here and a line below. */
import { getTop } from './get-top.js';
import { getUser } from './get-user.js';
import { getWindow } from './get-window.js';
import { mix } from './mix.js';
import { putAbsolute } from './put-absolute.js';
import { putRelative } from './put-relative.js';
import type { Workload } from './workload.js';

export { putRelative } from './put-relative.js';
export type { Workload } from './workload.js';

/** The main table's workloads. */
export const ALL_WORKLOADS: readonly Workload[] = [putAbsolute, putRelative, getTop, getWindow, getUser, mix];
