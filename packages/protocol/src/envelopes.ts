/**
 * Envelopes: what crosses the ZeroMQ hop. A client sends a batch of requests in one message and
 * the server answers a batch of replies in one message, each reply naming the request's id.
 * A request may carry the HTTP request id (for logs) and a deadline after which the server must
 * not apply it, so a request the client already answered with a timeout is never applied later.
 */
import type { ArgsOf, CommandName, ResultOf } from './commands/index.js';
import type { ErrorCode } from './errors.js';

/** A request for command `C`: correlation id, command, arguments, optional request id and deadline. */
export interface Request<C extends CommandName = CommandName> {
  /** Correlation id, unique per client socket while the request is pending. */
  id: number;
  cmd: C;
  args: ArgsOf<C>;
  /** The HTTP request id, so one request can be followed through both processes' logs. */
  rid?: string;
  /** Epoch milliseconds after which the server refuses the request instead of applying it. */
  deadline?: number;
  /** Idempotency key of a write: a repeat answers the first result without applying again. */
  key?: string;
}

/** Any request, discriminated by `cmd`, so a `switch (req.cmd)` narrows `args`. */
export type AnyRequest = { [C in CommandName]: Request<C> }[CommandName];

/** A successful reply. */
export interface OkReply<R = unknown> {
  id: number;
  ok: true;
  result: R;
}

/** A failed reply; `id` is null when the request could not even be read. */
export interface ErrorReply {
  id: number | null;
  ok: false;
  error: { code: ErrorCode; message: string; retryAfter?: number };
}

/** A reply to one request. */
export type Reply<C extends CommandName = CommandName> = OkReply<ResultOf<C>> | ErrorReply;
