/**
 * A fake ranking client for route tests: it runs a real RankingServer's `handle()` in process, so
 * every call still crosses the protocol codec, but no socket is opened.
 */
import {
  ErrorCode,
  ScoreboardError,
  decodeRawReplies,
  encodeRequests,
  parseResult,
  type ArgsOf,
  type CommandName,
  type RawResult,
  type ResultOf,
} from '@scoreboard/protocol';
import { RankingServer } from '@scoreboard/ranking-server';
import { pino } from 'pino';
import type { CallOptions, RankingApi } from '../ranking-client.js';

/** A RankingApi served in process; `down = true` makes every call fail as a timeout would. */
export class InProcessRanking implements RankingApi {
  readonly server = new RankingServer({ endpoint: 'inproc://unused', logger: pino({ level: 'silent' }) });
  down = false;
  calls: CommandName[] = [];

  /** O(log n). Applies one command through the codec; answers the parsed result. */
  async call<C extends CommandName>(
    cmd: C,
    args: ArgsOf<C>,
    options: CallOptions = {},
  ): Promise<ResultOf<C>> {
    return parseResult(await this.callRaw(cmd, args, options));
  }

  /** O(log n). Applies one command through the codec; answers the result's JSON bytes. */
  async callRaw<C extends CommandName>(
    cmd: C,
    args: ArgsOf<C>,
    options: CallOptions = {},
  ): Promise<RawResult<C>> {
    this.calls.push(cmd);
    if (this.down) throw new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE);
    const frame = encodeRequests([
      {
        id: 1,
        cmd,
        args,
        ...(options.rid ? { rid: options.rid } : {}),
        ...(options.key ? { key: options.key } : {}),
      },
    ]);
    const reply = decodeRawReplies(this.server.handle(frame).reply).replies[0]!;
    if (!reply.ok) throw new ScoreboardError(reply.error.code, reply.error.message);
    return reply.raw;
  }
}
