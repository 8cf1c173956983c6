/**
 * Latency below saturation: wrk paced on a wall clock. wrk is C: pacing it costs the shared cores
 * far less than a JavaScript load generator would, and the latency it reports is the system's.
 */
import { putRelative } from './workloads/index.js';
import { runWrk, type Result } from './wrk.js';

/** Latency at a paced rate: what was asked, what was reached. */
export interface Paced {
  rate: number;
  achieved: number;
  p50ms: number;
  p99ms: number;
}

/** O(1). A paced run's result as what was asked (`rate`) and what was reached. */
export const asPaced = (rate: number, r: Result): Paced => ({
  rate,
  achieved: r.rps,
  p50ms: r.p50ms,
  p99ms: r.p99ms,
});

/**
 * A wrk `delay()` that holds each wrk thread to `rate / threads` requests per second: every call
 * books the thread's next send slot on a wall clock (LuaJIT's ffi, gettimeofday) and waits for it.
 * The rate holds whatever the latency, as long as some connection is free when its slot comes.
 */
export function pacingLua(rate: number, threads: number): string {
  const stepMs = (1000 * threads) / Math.max(1, rate);
  return `local ffi = require("ffi")
ffi.cdef[[ struct sb_timeval { long tv_sec; long tv_usec; }; int gettimeofday(struct sb_timeval *tv, void *tz); ]]
local tv = ffi.new("struct sb_timeval")
local function now() ffi.C.gettimeofday(tv, nil) return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000 end
local slot = nil
delay = function()
  local t = now()
  if slot == nil or slot < t - 50 then slot = t end
  slot = slot + ${stepMs.toFixed(4)}
  local d = slot - t
  if d < 0 then return 0 end
  return math.floor(d)
end
`;
}

/** Relative PUTs paced at `rate` req/s over 32 connections for `seconds`. */
export function pacedRun(
  url: string,
  rate: number,
  users: number,
  pids: Record<string, number[]>,
  seconds: number,
): Result {
  return runWrk(url, putRelative, users, pids, { seconds, connections: 32, pacing: pacingLua(rate, 2) });
}
