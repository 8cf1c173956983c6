/**
 * The client's Prometheus metrics, served at `GET /metrics` on its own port (nginx does not pass
 * it to the public): requests by route, method and status, their latency, requests in flight here
 * and at the ZeroMQ hop (waiting for a reply, and queued for a message), and the process's own
 * (CPU, memory, event-loop lag, GC) from prom-client's defaults.
 *
 * Per request they cost a few additions: each route gets its own hooks (added as the route is,
 * so nothing looks the route up per request) that count into plain numbers, and prom-client is
 * handed the totals when scraped — no label hashing, promise or listener per request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type MetricObjectWithValues,
  type MetricValueWithName,
} from 'prom-client';

/** What the hop gauges read. */
export interface HopState {
  readonly inFlight: number;
  readonly queued: number;
}

/** Latency buckets in seconds: from 0.5 ms to 5 s (the longest a client waits). */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One route pattern and method: answers by status, and latency as bucket counts. */
class Series {
  readonly statuses = new Map<number, number>();
  /** Answers per bucket, not cumulative; the last is past the largest bound. */
  readonly buckets = new Float64Array(BUCKETS.length + 1);
  sum = 0;
  count = 0;

  constructor(
    readonly route: string,
    readonly method: string,
  ) {}

  /** O(buckets). One answer with `status` after `seconds`. */
  record(status: number, seconds: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    let b = 0;
    while (b < BUCKETS.length && seconds > BUCKETS[b]!) b++;
    this.buckets[b]!++;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * prom-client's histogram, its numbers kept by the series instead of one `observe()` per request:
 * what it exposes is built from them at each scrape, in the shape prom-client's own has.
 */
class SeriesHistogram extends Histogram<'route' | 'method'> {
  constructor(
    private readonly series: () => Iterable<Series>,
    private readonly options: { name: string; help: string; registers: Registry[] },
  ) {
    super({ ...options, labelNames: ['route', 'method'], buckets: BUCKETS });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<'route' | 'method'>>> {
    return this.getForPromString();
  }

  /** O(series × buckets). What the registry renders (it asks this first when there is one). */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<'route' | 'method'>>> {
    const { name, help } = this.options;
    const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const s of this.series()) {
      if (s.count === 0) continue;
      const labels = { route: s.route, method: s.method };
      let acc = 0;
      BUCKETS.forEach((le, i) => {
        acc += s.buckets[i]!;
        values.push({ labels: { ...labels, le }, value: acc, metricName: `${name}_bucket` });
      });
      values.push({ labels: { ...labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` });
      values.push({ labels, value: s.sum, metricName: `${name}_sum` });
      values.push({ labels, value: s.count, metricName: `${name}_count` });
    }
    // prom-client's own shape (its typings leave out the `le` label its histograms carry).
    return { name, help, type: 'histogram', values, aggregator: 'sum' } as unknown as MetricObjectWithValues<
      MetricValueWithName<'route' | 'method'>
    >;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Counted in the in-flight gauge, to be taken off when answered (metrics.ts). */
    inFlightCounted: boolean;
  }
}

/** The label unknown paths share, so asking for new paths cannot grow the page. */
const UNKNOWN = 'unknown';

/** One client's metrics. */
export class ClientMetrics {
  readonly registry = new Registry();
  private readonly series = new Map<string, Series>();
  /** Requests arrived at a route and not answered yet. */
  private inFlight = 0;

  /** O(1). `hop` is read at each scrape (absent in tests with a fake ranking server). */
  constructor(hop?: HopState) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const series = this.series;
    new Counter({
      name: 'scoreboard_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
      collect() {
        this.reset();
        for (const s of series.values()) {
          for (const [status, n] of s.statuses) {
            this.inc({ route: s.route, method: s.method, status: String(status) }, n);
          }
        }
      },
    });
    new SeriesHistogram(() => series.values(), {
      name: 'scoreboard_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer, by route pattern and method',
      registers,
    });
    const inFlight = () => this.inFlight;
    new Gauge({
      name: 'scoreboard_http_requests_in_flight',
      help: 'HTTP requests being handled by this client now',
      registers,
      collect() {
        this.set(inFlight());
      },
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

  /** O(1). The series of a route pattern and method, made on first use. */
  private seriesOf(route: string, method: string): Series {
    const key = `${method} ${route}`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = new Series(route, method)));
    return s;
  }

  /**
   * Counts and times every request `app` answers, through hooks each route gets as it is added
   * (a live stream leaves the in-flight count when its socket closes: it has no answer to wait
   * for); serves `GET /metrics`. Unknown paths are counted by {@link countUnknown}.
   */
  install(app: FastifyInstance): void {
    // Route hooks run after the app's: a request the guard or a limit refused never arrived here.
    app.decorateRequest('inFlightCounted', false);
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        const s = this.seriesOf(route.url, method);
        const stream = route.config?.stream === true;
        const arrive = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
          this.inFlight++;
          if (stream) reply.raw.once('close', () => this.inFlight--);
          else request.inFlightCounted = true;
          done();
        };
        const answered = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
          if (request.inFlightCounted) this.inFlight--;
          // Fastify times every request already (ms since it arrived).
          s.record(reply.statusCode, reply.elapsedTime / 1000);
          done();
        };
        route.onRequest = [arrive, ...[route.onRequest ?? []].flat()];
        route.onResponse = [...[route.onResponse ?? []].flat(), answered];
      }
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

  /**
   * O(1). Wraps the not-found handler so the answers it gives (404, 405, an OPTIONS 204) count
   * under `route="unknown"`.
   */
  countUnknown<R>(handler: (request: FastifyRequest, reply: FastifyReply) => R) {
    return (request: FastifyRequest, reply: FastifyReply): R => {
      const answer = handler(request, reply);
      this.seriesOf(UNKNOWN, request.method).record(reply.statusCode, reply.elapsedTime / 1000);
      return answer;
    };
  }
}
