/**
 * The HTTP API as the CLI sees it: JSON in and out, the key as a bearer token, errors as
 * {@link ApiError} carrying the catalogue code, and 503s (shed, or the ranking server restarting)
 * retried after their Retry-After a few times.
 */

/** An answer that was not a success. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
  }
}

/** Where the service is and how to reach it. */
export interface ApiOptions {
  url: string;
  key?: string;
  /** How often a 503 is retried before it is an error (default 5). */
  retries?: number;
}

/** A small JSON client of the scoreboard API. */
export class Api {
  private readonly base: string;

  /** O(1). */
  constructor(private readonly options: ApiOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  /** One request; answers the parsed body (undefined for 204). Throws ApiError on an error answer. */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const retries = this.options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(this.base + path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.options.key ? { authorization: `Bearer ${this.options.key}` } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      if (res.status === 503 && attempt < retries) {
        const wait = Number(res.headers.get('retry-after') ?? 1);
        await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(wait) ? wait : 1, 5) * 1000));
        continue;
      }
      let error: { code?: string; message?: string } = {};
      try {
        error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
      } catch {
        // not JSON: said below as it came
      }
      throw new ApiError(res.status, error.code ?? 'UNKNOWN', error.message ?? text.slice(0, 200));
    }
  }

  /** O(1) requests. The board, or undefined if there is none by that id. */
  async findBoard(board: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.request<Record<string, unknown>>('GET', `/boards/${encodeURIComponent(board)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }
}
