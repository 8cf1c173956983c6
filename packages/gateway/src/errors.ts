/**
 * How failures become HTTP answers: every error is answered as `{error: {code, message}}` with the
 * catalogue's status. Fastify's own errors (bad JSON, media type, body size, validation) are
 * mapped to catalogue codes; anything unknown is logged with its cause and answered as a bare 500.
 */
import { ErrorCode, RETRY_AFTER_SECONDS, ScoreboardError } from '@scoreboard/protocol';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RouteMethods } from './route-methods.js';

/** O(1). The catalogue error for any thrown value (Fastify errors mapped, others INTERNAL). */
export function toScoreboardError(err: unknown): ScoreboardError {
  if (err instanceof ScoreboardError) return err;
  const fe = err as Partial<FastifyError>;
  if (fe.validation) {
    return new ScoreboardError(ErrorCode.HTTP_VALIDATION, validationMessage(fe as FastifyError));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ScoreboardError(ErrorCode.HTTP_BAD_JSON, `The request body is not valid JSON.`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ScoreboardError(ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ScoreboardError(ErrorCode.HTTP_BODY_TOO_LARGE);
    case 'FST_ERR_BAD_URL':
      return new ScoreboardError(ErrorCode.HTTP_VALIDATION, 'The path is not valid percent-encoded UTF-8.');
    default:
      break;
  }
  if (err instanceof SyntaxError) return new ScoreboardError(ErrorCode.HTTP_BAD_JSON);
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ScoreboardError(ErrorCode.HTTP_VALIDATION, fe.message, { cause: err });
  }
  return new ScoreboardError(ErrorCode.INTERNAL, undefined, { cause: err });
}

function validationMessage(err: FastifyError): string {
  const where = err.validationContext ?? 'request';
  const first = err.validation?.[0];
  if (!first) return `Invalid ${where}.`;
  // A score write (the body, or an item of a batch) that fits neither of its two shapes.
  const write = err.validation!.find(
    (v) => v.keyword === 'anyOf' && /^(\/scores\/\d+)?$/.test(v.instancePath),
  );
  if (where === 'body' && write) {
    const what = write.instancePath === '' ? 'The body' : pathOf(write.instancePath);
    return `${what} must be {"user": U, "total": T} or {"user": U, "score": S}: a user id, and an integer total or a signed relative score such as "+10".`;
  }
  const path = first.instancePath ? pathOf(first.instancePath) : where;
  return `Invalid ${where}: ${path} ${first.message ?? 'is not valid'}.`;
}

/** O(length). A JSON pointer as a reader writes it: /scores/3/user → scores[3].user. */
function pathOf(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

/** Fastify error handler: answers the catalogue body; logs unexpected errors with their cause. */
export function errorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = toScoreboardError(err);
  if (error.code === ErrorCode.INTERNAL) {
    request.log.error({ err }, 'unexpected error');
  } else if (error.code === ErrorCode.STORAGE_UNAVAILABLE) {
    // The ranking server logs the stall once; a line per refused write would flood the logs
    // (often on the very disk that is full).
    request.log.debug({ code: error.code }, error.message);
  } else if (error.status >= 500) {
    request.log.warn({ code: error.code }, error.message);
  }
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  else if (error.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.code(error.status).type('application/json').send(error.toBody());
}

/** The header nginx puts the method in when it forwards one the clients' HTTP parser cannot read. */
export const ORIGINAL_METHOD_HEADER = 'x-scoreboard-method';

/**
 * Fastify not-found handler: a path no route has is a JSON 404; a path some route has, asked
 * with another method, is a 405 with `Allow`; `OPTIONS` on such a path answers 204 with `Allow`.
 */
export function notFoundHandler(methods: RouteMethods) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = (request.url.split('?')[0] ?? '').slice(0, 200);
    const allowed = methods.allowed(path);
    const forwarded = request.headers[ORIGINAL_METHOD_HEADER];
    const method = typeof forwarded === 'string' ? forwarded.slice(0, 32) : request.method;
    if (allowed.length === 0) {
      const error = new ScoreboardError(ErrorCode.HTTP_NOT_FOUND, `No route ${method} ${path}.`);
      return reply.code(404).send(error.toBody());
    }
    void reply.header('allow', allowed.join(', '));
    if (method === 'OPTIONS') return reply.code(204).send();
    const error = new ScoreboardError(
      ErrorCode.HTTP_METHOD_NOT_ALLOWED,
      `${path} takes ${allowed.join(', ')}, not ${method}.`,
    );
    return reply.code(405).send(error.toBody());
  };
}

/**
 * Node's handler of requests its HTTP parser refuses (a bad request line, headers past the limit,
 * a request that takes too long): a JSON catalogue answer on the raw socket, then close.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return;
  const code =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ErrorCode.HTTP_HEADERS_TOO_LARGE
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ErrorCode.HTTP_TIMEOUT
        : ErrorCode.HTTP_VALIDATION;
  const error = new ScoreboardError(
    code,
    code === ErrorCode.HTTP_VALIDATION ? 'Malformed HTTP request.' : undefined,
  );
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
      `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `connection: close\r\n\r\n${body}`,
  );
}
