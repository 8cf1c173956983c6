/** Addresses: where to reach a process that listens on a given host. */

/**
 * O(1). The address to connect to a process listening on `host`: a wildcard (0.0.0.0, ::) is
 * reached on the loopback address; any other host as it is.
 */
export function connectHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
