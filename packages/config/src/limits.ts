/** How large a deployment may be: its shards and its HTTP client processes. */

/** The most shards (ranking servers) a deployment may have. */
export const MAX_SHARDS = 64;

/** The most HTTP client processes a launch runs. */
export const MAX_CLIENTS = 64;
