/** The scoreboard command line, and the pieces it is made of. */
export { Api, ApiError, type ApiOptions } from './api.js';
export { exportRows } from './export-rows.js';
export { MAX_BATCH, importRows, statePath, type ImportOptions, type ImportResult } from './import-rows.js';
export { buildProgram, run, type Io } from './program.js';
export { RowError, readRows, rowLine, toRow, type PlayerRow } from './rows.js';
export { samplePlayers } from './sample.js';
