/**
 * Which methods each path takes, from the routes as they are registered, so an answer can tell
 * "no such route" (404) from "this route, another method" (405 with `Allow`).
 */
import type { FastifyInstance } from 'fastify';

/** One route pattern as a matcher, with the methods registered on it. */
interface Pattern {
  re: RegExp;
  methods: Set<string>;
}

/** The route table's methods per path. */
export class RouteMethods {
  private readonly patterns = new Map<string, Pattern>();

  /** O(1) per route. Learns every route `app` registers from now on. */
  constructor(app: FastifyInstance) {
    app.addHook('onRoute', (route) => {
      let p = this.patterns.get(route.url);
      if (!p) {
        // ":param" matches one path segment, as Fastify's router does.
        const source = route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+');
        p = { re: new RegExp(`^${source}$`), methods: new Set() };
        this.patterns.set(route.url, p);
      }
      for (const m of [route.method].flat()) p.methods.add(m);
    });
  }

  /** O(routes). The methods some route takes for `path` (sorted), empty when none matches. */
  allowed(path: string): string[] {
    const out = new Set<string>();
    for (const p of this.patterns.values()) if (p.re.test(path)) for (const m of p.methods) out.add(m);
    return [...out].sort();
  }
}
