/**
 * API keys: the ranking server keeps the key table (names, scopes, boards, rates, and the SHA-256
 * of each secret — never a secret); the HTTP clients create secrets, and check every request
 * against their copy of the table, which they bring up to date with `key.sync`.
 */
import { Type, type Static } from 'typebox';
import { BoardIdSchema, NoArgs } from '../schemas.js';
import { KEY_NAME_PATTERN, MAX_KEY_BOARDS, MAX_KEY_RATE, SCOPES } from '../values.js';
import { argsOf, defineCommand, firstRead, firstWrite } from './spec.js';

/** What a key may do: `read`, `write` (scores and profiles) or `admin` (everything). */
export const ScopeSchema = Type.Union([
  Type.Literal(SCOPES[0]),
  Type.Literal(SCOPES[1]),
  Type.Literal(SCOPES[2]),
]);

/** A key's name: 1–64 characters of [A-Za-z0-9_.-]. */
export const KeyNameSchema = Type.String({ pattern: KEY_NAME_PATTERN });

/** The fields of a new key, as `POST /keys` takes them. */
export const KeyFieldsSchema = {
  name: KeyNameSchema,
  scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
  boards: Type.Optional(
    Type.Union([
      Type.Null(),
      Type.Array(BoardIdSchema, { minItems: 1, maxItems: MAX_KEY_BOARDS, uniqueItems: true }),
    ]),
  ),
  rate: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: MAX_KEY_RATE })])),
};

/** A key as answered: never its secret nor its hash. `boards` null: every board; `rate` null: no limit. */
export const KeyViewSchema = Type.Object(
  {
    name: Type.String(),
    scopes: Type.Array(ScopeSchema),
    boards: Type.Union([Type.Null(), Type.Array(Type.String())]),
    rate: Type.Union([Type.Null(), Type.Integer()]),
    created: Type.String({ description: 'ISO 8601 UTC' }),
  },
  { title: 'Key' },
);
/** See {@link KeyViewSchema}. */
export type KeyView = Static<typeof KeyViewSchema>;

/** A key as the clients hold it: its view and the hex SHA-256 of its secret. */
export type KeyEntry = KeyView & { hash: string };

/** The keys commands, by readable name. */
export const keyCommands = {
  /** Stores a new key (the client made its secret and sends only the hash). */
  KeyPut: defineCommand<KeyView>()({
    name: 'key.put',
    args: Type.Object(
      { ...KeyFieldsSchema, hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
      { additionalProperties: false },
    ),
    ...firstWrite,
  }),
  /** Revokes a key. */
  KeyDelete: defineCommand<{ deleted: true }>()({
    name: 'key.delete',
    args: argsOf({ name: KeyNameSchema }),
    ...firstWrite,
  }),
  /** Every key, by name. */
  KeyList: defineCommand<KeyView[]>()({
    name: 'key.list',
    args: NoArgs,
    ...firstRead,
  }),
  /**
   * The key table for a client: `keys` with their hashes when the table's version is not `since`,
   * null when the client is up to date.
   */
  KeySync: defineCommand<{ version: number; keys: KeyEntry[] | null }>()({
    name: 'key.sync',
    args: argsOf({ since: Type.Integer({ minimum: -1, maximum: Number.MAX_SAFE_INTEGER }) }),
    ...firstRead,
  }),
};
