/**
 * A fake ranking server for route tests: the {@link ReferenceModel} behind the `RankingApi` the
 * HTTP client's routes call. Every call still crosses the protocol codec's validation (as it would
 * at the real server) and its result crosses as JSON bytes, but no socket and no engine is
 * involved. `down = true` makes every call fail as a timeout would.
 */
import {
  ErrorCode,
  ScoreboardError,
  parseResult,
  validateRequest,
  type ArgsOf,
  type CommandName,
  type RawResult,
  type ResultOf,
} from '@scoreboard/protocol';
import { ReferenceModel } from './reference-model.js';

/** Per-call options, as the routes pass them. */
export interface ModelCallOptions {
  rid?: string;
  key?: string;
  timeoutMs?: number;
  probe?: boolean;
}

/** The reference model as a ranking client, at the readings of `clock` (epoch ms). */
export class ModelRanking {
  readonly model = new ReferenceModel();

  constructor(private readonly clock: () => number = Date.now) {}

  /** When true, every call fails with RANKING_UNAVAILABLE. */
  down = false;
  /** Every command called, in order. */
  readonly calls: CommandName[] = [];

  /** O(model). The result, parsed. */
  async call<C extends CommandName>(
    cmd: C,
    args: ArgsOf<C>,
    options: ModelCallOptions = {},
  ): Promise<ResultOf<C>> {
    return parseResult(await this.callRaw(cmd, args, options));
  }

  /** O(model). The result's JSON bytes, as the real client hands them to a route. */
  async callRaw<C extends CommandName>(
    cmd: C,
    args: ArgsOf<C>,
    options: ModelCallOptions = {},
  ): Promise<RawResult<C>> {
    this.calls.push(cmd);
    if (this.down) throw new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE);
    const decoded = validateRequest({
      id: 1,
      cmd,
      args: structuredClone(args),
      ...(options.rid ? { rid: options.rid } : {}),
      ...(options.key ? { key: options.key } : {}),
    });
    if (!decoded.ok) throw new ScoreboardError(decoded.reply.error.code, decoded.reply.error.message);
    const { request } = decoded;
    const answer = this.model.apply(request.cmd, request.args, request.key, this.clock());
    if (!answer.ok) {
      const details = answer.retryAfter === undefined ? {} : { retryAfter: answer.retryAfter };
      throw new ScoreboardError(answer.code, undefined, details);
    }
    return Buffer.from(JSON.stringify(answer.result));
  }
}
