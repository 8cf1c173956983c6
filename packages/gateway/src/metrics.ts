/**
 * The client's Prometheus metrics, served at `GET /metrics` on its own port (nginx does not pass
 * it to the public): requests by route, method and status, their latency, requests in flight here
 * and at the ZeroMQ hop (waiting for a reply, and queued for a message), and the process's own
 * (CPU, memory, event-loop lag, GC) from prom-client's defaults.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the hop gauges read. */
export interface HopState {
  readonly inFlight: number;
  readonly queued: number;
}

/** Latency buckets in seconds: from 0.5 ms to 5 s (the longest a client waits). */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One client's metrics. */
export class ClientMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly latency: Histogram<'route' | 'method'>;
  private readonly active: Gauge;

  /** O(1). `hop` is read at each scrape (absent in tests with a fake ranking server). */
  constructor(hop?: HopState) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'scoreboard_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'scoreboard_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer, by route pattern and method',
      labelNames: ['route', 'method'],
      buckets: BUCKETS,
      registers,
    });
    this.active = new Gauge({
      name: 'scoreboard_http_requests_in_flight',
      help: 'HTTP requests being handled by this client now',
      registers,
    });
    if (hop) {
      new Gauge({
        name: 'scoreboard_hop_in_flight',
        help: 'Commands sent to the ranking server (or queued to be) and waiting for their reply',
        registers,
        collect() {
          this.set(hop.inFlight);
        },
      });
      new Gauge({
        name: 'scoreboard_hop_queued',
        help: 'Commands waiting in the outbox for a message to the ranking server',
        registers,
        collect() {
          this.set(hop.queued);
        },
      });
    }
  }

  /** Counts and times every request `app` answers; serves `GET /metrics`. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (_request, reply) => {
      this.active.inc();
      // The socket's close, not onResponse: a live stream (a hijacked reply) has no onResponse.
      reply.raw.once('close', () => this.active.dec());
    });
    app.addHook('onResponse', async (request, reply) => {
      // Unknown paths share one label: the metric's size stays bounded whatever is asked.
      const route = request.routeOptions.url ?? 'unknown';
      const method = request.method;
      this.requests.inc({ route, method, status: String(reply.statusCode) });
      // Fastify times every request already (ms since it arrived).
      this.latency.observe({ route, method }, reply.elapsedTime / 1000);
    });
    // Registered like every other route (a plugin), so route listeners see it.
    void app.register(async (scope) => {
      scope.get(
        '/metrics',
        {
          config: { scope: 'open', unlimited: true },
          schema: {
            summary: "This client's Prometheus metrics (its own port only)",
            operationId: 'getMetrics',
            tags: ['operations'],
          },
        },
        async (_request, reply) => reply.type(this.registry.contentType).send(await this.registry.metrics()),
      );
    });
  }
}
