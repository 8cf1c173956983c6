/**
 * The routes that only forward a command: each is one row of `(method, path, command, arguments
 * from the request, answer schema)` plus its facts (scope, summary, operation id, tag), mounted by
 * one loop. The row's schemas validate the request and document the answer; the answer itself is
 * the ranking server's JSON bytes, passed on untouched. A command that takes an idempotency key
 * gets the `Idempotency-Key` header (and forwards it).
 *
 * A new read is a row here, its command's spec (with its result schema) and handler, and a test.
 */
import {
  AttemptsSchema,
  DEFAULT_RESULTS_PAGE,
  MAX_RESULTS_PAGE,
  PeriodResultSchema,
  ResultsPageSchema,
  BucketRowSchema,
  BucketViewSchema,
  MAX_BUCKET_SIZE,
  PlayerExportSchema,
  Command,
  CountryCountSchema,
  ErrorCode,
  MAX_LOOKUP,
  MAX_PAGE,
  MAX_RANGE_LIMIT,
  MAX_TOTAL,
  RankedEntrySchema,
  ScoreboardError,
  canonicalUserId,
  commandTable,
  type ArgsOf,
  type CommandName,
  type CommandSpec,
  type Scope,
  type UserId,
} from '@scoreboard/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import {
  AroundParams,
  AroundQuery,
  BoardParam,
  BoardParams,
  BoardRowSchema,
  BoardViewSchema,
  CountryParam,
  Digits,
  EntrySchema,
  HistoryQuery,
  KeyHeaders,
  PeriodViewSchema,
  PlayerBatchBody,
  RangeQuery,
  RankQuery,
  ResultsQuery,
  ResultSchema,
  ScoreBatchBody,
  ScoreBody,
  StandingSchema,
  TopParams,
  TotalText,
  UserParam,
  UserParams,
  UsersQuery,
} from '../schemas.js';
import {
  aroundOf,
  callOptions,
  counter,
  errorReplies,
  rankArg,
  sendJsonBytes,
  userOf,
  windowOf,
  writeOf,
} from './common.js';

/** What a row's argument builder sees of the request, typed by the row's schemas. */
interface Req<P extends TSchema, Q extends TSchema, B extends TSchema> {
  params: Static<P>;
  query: Static<Q>;
  body: Static<B>;
}

/** One forwarded route. */
export interface Forward<
  C extends CommandName = CommandName,
  P extends TSchema = TSchema,
  Q extends TSchema = TSchema,
  B extends TSchema = TSchema,
> {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  command: C;
  /** The command's arguments, from the validated request (a 400 for what a schema cannot say). */
  args: (request: Req<P, Q, B>) => ArgsOf<C>;
  /**
   * The schema of the 200 answer (documentation: the bytes are passed on as they are); by default
   * the one the command's spec declares.
   */
  answer?: TSchema;
  /** 204: the route answers no content once the command succeeded (a deletion). */
  noContent?: true;
  scope: Scope;
  /** The original routes act on the default board. */
  board?: 'default';
  summary: string;
  operationId: string;
  tag: string;
  params?: P;
  querystring?: Q;
  body?: B;
  bodyLimit?: number;
  /** An example body for the docs. */
  example?: Static<B>;
  /** Catalogue codes only this route answers. */
  errors?: readonly ErrorCode[];
}

/** O(1). A row, typed by its own schemas. */
function forward<C extends CommandName, P extends TSchema, Q extends TSchema, B extends TSchema>(
  row: Forward<C, P, Q, B>,
): Forward {
  return row;
}

/** The body limit of one score write: 1 KiB of metadata with room to spare. */
export const SCORE_BODY_LIMIT = 4 * 1024;
/** The body limit of a batch of scores (1 000 writes, each with long user ids and 1 KiB of metadata). */
export const SCORE_BATCH_BODY_LIMIT = 2 * 1024 * 1024;
/** The body limit of a batch of profiles (1 000 with 1 KiB of metadata each). */
export const PLAYER_BATCH_BODY_LIMIT = 2 * 1024 * 1024;
/** Rows a range answers unless `?limit` says otherwise. */
export const DEFAULT_RANGE_LIMIT = 100;

/** Codes a score write may answer besides the common ones. */
export const SCORE_ERRORS = [
  ErrorCode.SCORE_OUT_OF_RANGE,
  ErrorCode.SCORE_RELATIVE_NOT_ALLOWED,
  ErrorCode.BOARD_CLOSED,
  ErrorCode.PLAYER_LIMIT_REACHED,
  ErrorCode.NOT_JOINED,
  ErrorCode.ATTEMPTS_USED,
] as const;
/** Codes a profile write may answer besides the common ones. */
export const PROFILE_ERRORS = [
  ErrorCode.PLAYER_INVALID_NAME,
  ErrorCode.PLAYER_UNKNOWN_COUNTRY,
  ErrorCode.PLAYER_INVALID_METADATA,
  ErrorCode.PLAYER_LIMIT_REACHED,
] as const;

const Rows = Type.Array(BoardRowSchema);
const EntryList = Type.Array(EntrySchema);
const PeriodParams = { board: BoardParam, period: Digits };

/** O(ids). The user ids of `?ids=a,b,c`: 1–100 valid ids, or a 400. */
function idsOf(raw: string): UserId[] {
  const parts = raw.split(',');
  if (parts.length > MAX_LOOKUP) {
    throw new ScoreboardError(ErrorCode.HTTP_VALIDATION, `ids names at most ${MAX_LOOKUP} users.`);
  }
  return parts.map((part, i) => {
    const id = canonicalUserId(part);
    if (id === undefined)
      throw new ScoreboardError(ErrorCode.HTTP_VALIDATION, `ids[${i}] is not a valid user id.`);
    return id;
  });
}

/** O(1). A period id from a path. */
const periodOf = (raw: string): number => counter('period', raw, 1, Number.MAX_SAFE_INTEGER);

/** Every forwarded route. */
export const FORWARDED: readonly Forward[] = [
  // ---------------------------------------------------------------- the default board
  forward({
    method: 'GET',
    url: '/top/:n',
    command: Command.Top,
    params: TopParams,
    args: ({ params }) => ({ n: counter('N', params.n, 0, MAX_PAGE) }),
    answer: EntryList,
    scope: 'read',
    board: 'default',
    summary: 'Top N of the default board',
    operationId: 'getTop',
    tag: 'default board',
  }),
  forward({
    method: 'GET',
    url: '/top/:position/:scope',
    command: Command.Around,
    params: AroundParams,
    args: ({ params }) => windowOf(params),
    answer: EntryList,
    scope: 'read',
    board: 'default',
    summary: 'The window around a position of the default board',
    operationId: 'getTopWindow',
    tag: 'default board',
  }),
  forward({
    method: 'GET',
    url: '/users/:id',
    command: Command.GetUser,
    params: UserParams,
    args: ({ params }) => ({ user: userOf(params.id) }),
    answer: RankedEntrySchema,
    scope: 'read',
    board: 'default',
    summary: "A user's total and rank on the default board",
    operationId: 'getUser',
    tag: 'default board',
    errors: [ErrorCode.USER_NOT_FOUND],
  }),
  // ---------------------------------------------------------------- boards
  forward({
    method: 'GET',
    url: '/boards',
    command: Command.BoardList,
    args: () => ({}),
    answer: Type.Array(BoardViewSchema),
    scope: 'read',
    summary: 'Every board',
    operationId: 'listBoards',
    tag: 'boards',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board',
    command: Command.BoardGet,
    params: BoardParams,
    args: ({ params }) => ({ board: params.board }),
    answer: BoardViewSchema,
    scope: 'read',
    summary: "A board's configuration, size and current period",
    operationId: 'getBoard',
    tag: 'boards',
  }),
  forward({
    method: 'DELETE',
    url: '/boards/:board',
    command: Command.BoardDelete,
    params: BoardParams,
    args: ({ params }) => ({ board: params.board }),
    noContent: true,
    scope: 'admin',
    summary: 'Delete a board and its entries',
    operationId: 'deleteBoard',
    tag: 'boards',
    errors: [ErrorCode.BOARD_PROTECTED],
  }),
  // ---------------------------------------------------------------- scores
  forward({
    method: 'PUT',
    url: '/boards/:board/scores',
    command: Command.ScorePut,
    params: BoardParams,
    body: ScoreBody,
    bodyLimit: SCORE_BODY_LIMIT,
    args: ({ params, body }) => ({ board: params.board, ...writeOf(body) }),
    answer: RankedEntrySchema,
    scope: 'write',
    summary: 'Write one score; answers the total kept and the rank',
    operationId: 'putBoardScore',
    tag: 'scores',
    example: { user: 'ann', total: 72 },
    errors: SCORE_ERRORS,
  }),
  forward({
    method: 'POST',
    url: '/boards/:board/scores',
    command: Command.ScoreBatch,
    params: BoardParams,
    body: ScoreBatchBody,
    bodyLimit: SCORE_BATCH_BODY_LIMIT,
    args: ({ params, body }) => ({
      board: params.board,
      scores: body.scores.map((item, i) => writeOf(item, `scores[${i}].`)),
    }),
    answer: Type.Object({ results: Type.Array(RankedEntrySchema) }),
    scope: 'write',
    summary: 'Write 1–1 000 scores in order, nothing interleaved',
    operationId: 'postBoardScores',
    tag: 'scores',
    example: {
      scores: [
        { user: 'bob', total: 70 },
        { user: 'cy', score: '+4' },
      ],
    },
    errors: SCORE_ERRORS,
  }),
  forward({
    method: 'DELETE',
    url: '/boards/:board/users/:user',
    command: Command.EntryDelete,
    params: Type.Object({ board: BoardParam, user: UserParam }),
    args: ({ params }) => ({ board: params.board, user: userOf(params.user) }),
    noContent: true,
    scope: 'admin',
    summary: "Remove one player's entry from one board (moderation); the profile and other boards stay",
    operationId: 'deleteBoardEntry',
    tag: 'scores',
    errors: [ErrorCode.USER_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/buckets/:user',
    command: Command.BucketOfUser,
    params: Type.Object({ board: BoardParam, user: UserParam }),
    args: ({ params }) => ({ board: params.board, user: userOf(params.user) }),
    answer: BucketViewSchema,
    scope: 'read',
    summary: "A player's bucket in the live period: its rows (ranked inside it) and the player's rank there",
    operationId: 'getBucketOfUser',
    tag: 'boards',
    errors: [ErrorCode.USER_NOT_FOUND, ErrorCode.BUCKET_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/buckets/:bucket/top/:n',
    command: Command.BucketTop,
    params: Type.Object({ board: BoardParam, bucket: Digits, n: Digits }),
    args: ({ params }) => ({
      board: params.board,
      bucket: counter('bucket', params.bucket, 1, Number.MAX_SAFE_INTEGER),
      n: counter('N', params.n, 0, MAX_BUCKET_SIZE),
    }),
    answer: Type.Array(BucketRowSchema),
    scope: 'read',
    summary: 'The first N rows of one bucket of the live period, ranked inside it',
    operationId: 'getBucketTop',
    tag: 'boards',
    errors: [ErrorCode.BUCKET_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/players/:user/attempts',
    command: Command.BoardAttempts,
    params: Type.Object({ board: BoardParam, user: UserParam }),
    args: ({ params }) => ({ board: params.board, user: userOf(params.user) }),
    answer: AttemptsSchema,
    scope: 'read',
    summary: "A player's attempts in the board's live period, and whether they joined it",
    operationId: 'getBoardAttempts',
    tag: 'boards',
  }),
  // ---------------------------------------------------------------- reads of a board
  forward({
    method: 'GET',
    url: '/boards/:board/top/:n',
    command: Command.BoardTop,
    params: Type.Object({ board: BoardParam, n: Digits }),
    querystring: RankQuery,
    args: ({ params, query }) => ({
      board: params.board,
      n: counter('N', params.n, 0, MAX_PAGE),
      ...rankArg(query),
    }),
    answer: Rows,
    scope: 'read',
    summary: 'Top N of a board (with names and countries)',
    operationId: 'getBoardTop',
    tag: 'reads',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/top/:position/:scope',
    command: Command.BoardWindow,
    params: Type.Object({ board: BoardParam, position: Digits, scope: Digits }),
    querystring: RankQuery,
    args: ({ params, query }) => ({ board: params.board, ...windowOf(params), ...rankArg(query) }),
    answer: Rows,
    scope: 'read',
    summary: 'The window around a position',
    operationId: 'getBoardWindow',
    tag: 'reads',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/users/:user',
    command: Command.BoardUser,
    params: Type.Object({ board: BoardParam, user: UserParam }),
    querystring: RankQuery,
    args: ({ params, query }) => ({ board: params.board, user: userOf(params.user), ...rankArg(query) }),
    answer: StandingSchema,
    scope: 'read',
    summary: "A player's total, rank, percentile and country rank",
    operationId: 'getBoardUser',
    tag: 'reads',
    errors: [ErrorCode.USER_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/around/:user',
    command: Command.BoardAround,
    params: Type.Object({ board: BoardParam, user: UserParam }),
    querystring: AroundQuery,
    args: ({ params, query }) => ({ board: params.board, user: userOf(params.user), ...aroundOf(query) }),
    answer: Rows,
    scope: 'read',
    summary: 'The players around a player',
    operationId: 'getBoardAround',
    tag: 'reads',
    errors: [ErrorCode.USER_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/users',
    command: Command.BoardUsers,
    params: BoardParams,
    querystring: UsersQuery,
    args: ({ params, query }) => ({ board: params.board, ids: idsOf(query.ids), ...rankArg(query) }),
    answer: Rows,
    scope: 'read',
    summary: 'Several players at once (?ids=a,b,c): friends',
    operationId: 'getBoardUsers',
    tag: 'reads',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/range',
    command: Command.BoardRange,
    params: BoardParams,
    querystring: RangeQuery,
    args: ({ params, query: q }) => ({
      board: params.board,
      min: q.min === undefined ? -MAX_TOTAL : counter('min', q.min, -MAX_TOTAL, MAX_TOTAL),
      max: q.max === undefined ? MAX_TOTAL : counter('max', q.max, -MAX_TOTAL, MAX_TOTAL),
      limit: q.limit === undefined ? DEFAULT_RANGE_LIMIT : counter('limit', q.limit, 0, MAX_RANGE_LIMIT),
      ...rankArg(q),
    }),
    answer: Type.Object({ count: Type.Integer(), entries: Rows }),
    scope: 'read',
    summary: 'The entries with totals in [min, max]',
    operationId: 'getBoardRange',
    tag: 'reads',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/count',
    command: Command.BoardCount,
    params: BoardParams,
    querystring: Type.Object({ total: Type.Optional(TotalText) }, { additionalProperties: false }),
    args: ({ params, query }) => ({
      board: params.board,
      ...(query.total === undefined ? {} : { total: counter('total', query.total, -MAX_TOTAL, MAX_TOTAL) }),
    }),
    scope: 'read',
    summary: 'How many entries a board holds; with ?total=, how many are at least as good and its percentile',
    operationId: 'getBoardCount',
    tag: 'reads',
  }),
  // ---------------------------------------------------------------- countries
  forward({
    method: 'GET',
    url: '/boards/:board/countries',
    command: Command.BoardCountries,
    params: BoardParams,
    args: ({ params }) => ({ board: params.board }),
    answer: Type.Array(CountryCountSchema),
    scope: 'read',
    summary: 'Players per country on a board',
    operationId: 'getBoardCountries',
    tag: 'countries',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/countries/:country/top/:n',
    command: Command.CountryTop,
    params: Type.Object({ board: BoardParam, country: CountryParam, n: Digits }),
    querystring: RankQuery,
    args: ({ params, query }) => ({
      board: params.board,
      country: params.country,
      n: counter('N', params.n, 0, MAX_PAGE),
      ...rankArg(query),
    }),
    answer: Rows,
    scope: 'read',
    summary: 'Top N of one country',
    operationId: 'getCountryTop',
    tag: 'countries',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/countries/:country/around/:user',
    command: Command.CountryAround,
    params: Type.Object({ board: BoardParam, country: CountryParam, user: UserParam }),
    querystring: AroundQuery,
    args: ({ params, query }) => ({
      board: params.board,
      country: params.country,
      user: userOf(params.user),
      ...aroundOf(query),
    }),
    answer: Rows,
    scope: 'read',
    summary: 'The players around a player in their country',
    operationId: 'getCountryAround',
    tag: 'countries',
    errors: [ErrorCode.USER_NOT_FOUND],
  }),
  // ---------------------------------------------------------------- periods and history
  forward({
    method: 'POST',
    url: '/boards/:board/reset',
    command: Command.BoardReset,
    params: BoardParams,
    args: ({ params }) => ({ board: params.board }),
    answer: BoardViewSchema,
    scope: 'admin',
    summary: "End the board's current period now",
    operationId: 'resetBoardPeriod',
    tag: 'periods',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods',
    command: Command.BoardPeriods,
    params: BoardParams,
    args: ({ params }) => ({ board: params.board }),
    answer: Type.Array(PeriodViewSchema),
    scope: 'read',
    summary: 'The current and archived periods',
    operationId: 'getBoardPeriods',
    tag: 'periods',
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods/:period/results',
    command: Command.PeriodResults,
    params: Type.Object(PeriodParams),
    querystring: ResultsQuery,
    args: ({ params, query }) => ({
      board: params.board,
      period: periodOf(params.period),
      limit:
        query.limit === undefined ? DEFAULT_RESULTS_PAGE : counter('limit', query.limit, 1, MAX_RESULTS_PAGE),
      ...(query.after === undefined ? {} : { after: query.after }),
    }),
    answer: ResultsPageSchema,
    scope: 'read',
    summary: "A finished period's results, in pages (by tier, then bucket, then rank)",
    operationId: 'getPeriodResults',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods/:period/results/:user',
    command: Command.PeriodResult,
    params: Type.Object({ ...PeriodParams, user: UserParam }),
    args: ({ params }) => ({
      board: params.board,
      period: periodOf(params.period),
      user: userOf(params.user),
    }),
    answer: PeriodResultSchema,
    scope: 'read',
    summary: "One player's result in a finished period",
    operationId: 'getPeriodResult',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND, ErrorCode.USER_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods/:period/top/:n',
    command: Command.PeriodTop,
    params: Type.Object({ ...PeriodParams, n: Digits }),
    querystring: RankQuery,
    args: ({ params, query }) => ({
      board: params.board,
      period: periodOf(params.period),
      n: counter('N', params.n, 0, MAX_PAGE),
      ...rankArg(query),
    }),
    answer: Rows,
    scope: 'read',
    summary: 'Top N of a period',
    operationId: 'getPeriodTop',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods/:period/top/:position/:scope',
    command: Command.PeriodWindow,
    params: Type.Object({ ...PeriodParams, position: Digits, scope: Digits }),
    querystring: RankQuery,
    args: ({ params, query }) => ({
      board: params.board,
      period: periodOf(params.period),
      ...windowOf(params),
      ...rankArg(query),
    }),
    answer: Rows,
    scope: 'read',
    summary: 'A window of a period',
    operationId: 'getPeriodWindow',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods/:period/users/:user',
    command: Command.PeriodUser,
    params: Type.Object({ ...PeriodParams, user: UserParam }),
    querystring: RankQuery,
    args: ({ params, query }) => ({
      board: params.board,
      period: periodOf(params.period),
      user: userOf(params.user),
      ...rankArg(query),
    }),
    answer: StandingSchema,
    scope: 'read',
    summary: "A player's result in a period",
    operationId: 'getPeriodUser',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND, ErrorCode.USER_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/periods/:period/around/:user',
    command: Command.PeriodAround,
    params: Type.Object({ ...PeriodParams, user: UserParam }),
    querystring: AroundQuery,
    args: ({ params, query }) => ({
      board: params.board,
      period: periodOf(params.period),
      user: userOf(params.user),
      ...aroundOf(query),
    }),
    answer: Rows,
    scope: 'read',
    summary: 'The players around a player in a period',
    operationId: 'getPeriodAround',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND, ErrorCode.USER_NOT_FOUND],
  }),
  forward({
    method: 'GET',
    url: '/boards/:board/users/:user/history',
    command: Command.History,
    params: Type.Object({ board: BoardParam, user: UserParam }),
    querystring: HistoryQuery,
    args: ({ params, query }) => ({
      board: params.board,
      user: userOf(params.user),
      ...(query.period === undefined ? {} : { period: periodOf(query.period) }),
    }),
    answer: Type.Array(ResultSchema),
    scope: 'read',
    summary: "A player's best results (the board's history)",
    operationId: 'getUserHistory',
    tag: 'periods',
    errors: [ErrorCode.PERIOD_NOT_FOUND, ErrorCode.USER_NOT_FOUND],
  }),
  // ---------------------------------------------------------------- players
  forward({
    method: 'DELETE',
    url: '/players/:user',
    command: Command.PlayerDelete,
    params: Type.Object({ user: UserParam }),
    args: ({ params }) => ({ user: userOf(params.user) }),
    noContent: true,
    scope: 'admin',
    summary: 'Erase a player: profile, entries and history',
    operationId: 'deletePlayer',
    tag: 'players',
    errors: [ErrorCode.PLAYER_NOT_FOUND],
  }),
  forward({
    method: 'POST',
    url: '/players',
    command: Command.PlayerBatch,
    body: PlayerBatchBody,
    bodyLimit: PLAYER_BATCH_BODY_LIMIT,
    args: ({ body }) => body,
    answer: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
    scope: 'write',
    summary: 'Create or change 1–1 000 profiles',
    operationId: 'postPlayers',
    tag: 'players',
    example: { players: [{ user: 'ann', name: 'Ann', country: 'IE' }] },
    errors: PROFILE_ERRORS,
  }),
  forward({
    method: 'GET',
    url: '/players/:user/export',
    command: Command.PlayerExport,
    params: Type.Object({ user: UserParam }),
    args: ({ params }) => ({ user: userOf(params.user) }),
    answer: PlayerExportSchema,
    scope: 'admin',
    summary:
      'Everything held about a player (GDPR export): the profile, and per board the live entry, results, joins, attempts and finished periods',
    operationId: 'exportPlayer',
    tag: 'players',
    errors: [ErrorCode.PLAYER_NOT_FOUND],
  }),
];

/** O(rows). Mounts every row of `rows` on `app`, each forwarding its command to `ranking`. */
export function mountForwarded(
  app: FastifyInstance,
  ranking: RankingApi,
  rows: readonly Forward[] = FORWARDED,
): void {
  for (const row of rows) {
    const spec: CommandSpec = commandTable[row.command];
    const keyed = spec.keyed;
    const answer = row.noContent ? Type.Null() : (row.answer ?? spec.result);
    if (!answer)
      throw new Error(`${row.method} ${row.url}: no answer schema (on the row or its command's spec)`);
    app.route({
      method: row.method,
      url: row.url,
      ...(row.bodyLimit ? { bodyLimit: row.bodyLimit } : {}),
      config: {
        scope: row.scope,
        ...(row.board ? { board: row.board } : {}),
        ...(row.errors ? { errors: row.errors } : {}),
      },
      schema: {
        summary: row.summary,
        operationId: row.operationId,
        tags: [row.tag],
        ...(row.params ? { params: row.params } : {}),
        ...(row.querystring ? { querystring: row.querystring } : {}),
        ...(row.body
          ? { body: row.example === undefined ? row.body : { ...row.body, examples: [row.example] } }
          : {}),
        ...(keyed ? { headers: KeyHeaders } : {}),
        response: { [row.noContent ? 204 : 200]: answer, ...errorReplies },
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const args = row.args(request);
        const options = keyed ? callOptions(request) : { rid: request.id };
        const answer = await ranking.callRaw(row.command, args, options);
        return row.noContent ? reply.code(204).send(null) : sendJsonBytes(reply, answer);
      },
    });
  }
}
