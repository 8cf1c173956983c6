import { describe, expect, it } from 'vitest';
import { decodeRequests, encodeRequests, errorReply, validateRequest } from './codec.js';
import { Command, commandTable } from './commands/index.js';
import { ErrorCode } from './errors.js';
import { seededRandom } from '@scoreboard/random';

const decodeOne = (envelope: unknown) => decodeRequests(encodeRequests([envelope]))[0]!;
const malformed = { ok: false, reply: { error: { code: ErrorCode.PROTOCOL_MALFORMED } } };

describe('request codec', () => {
  it('round-trips a batch of valid requests and canonicalises user ids', () => {
    const batch = [
      { id: 1, cmd: Command.SetTotal, args: { user: '123', total: 5 }, key: 'k-1', rid: 'r', deadline: 10 },
      { id: 2, cmd: Command.AddScore, args: { user: '0123', delta: -5 } },
      { id: 3, cmd: Command.Top, args: { n: 10 } },
      { id: 4, cmd: Command.Around, args: { position: 1, scope: 0 } },
      { id: 5, cmd: Command.GetUser, args: { user: '42' } },
      { id: 6, cmd: Command.Reset, args: {} },
      { id: 7, cmd: Command.Ping, args: {} },
    ];
    const decoded = decodeRequests(encodeRequests(batch));
    expect(decoded.every((d) => d.ok)).toBe(true);
    const requests = decoded.map((d) => (d.ok ? d.request : undefined));
    expect(requests[0]).toEqual({ ...batch[0], args: { user: 123, total: 5 } });
    expect(requests[1]!.args).toEqual({ user: '0123', delta: -5 });
    expect(requests[4]!.args).toEqual({ user: 42 });
  });

  it('has a command table whose keys are the wire names', () => {
    for (const [name, spec] of Object.entries(commandTable)) expect(spec.name).toBe(name);
    expect(Object.values(Command).sort()).toEqual(Object.keys(commandTable).sort());
  });

  it.each([
    ['not JSON', '{nope'],
    ['an object', '{"id":1}'],
    ['an empty array', '[]'],
    ['a string', '"x"'],
  ])('decodes %s to one malformed reply with a null id', (_what, text) => {
    const out = decodeRequests(Buffer.from(text));
    expect(out).toEqual([
      { ok: false, reply: errorReply(null, ErrorCode.PROTOCOL_MALFORMED, expect.any(String)) },
    ]);
  });

  it.each([
    ['a number', 5, null],
    ['no id', { cmd: 'ping', args: {} }, null],
    ['a negative id', { id: -1, cmd: 'ping', args: {} }, null],
    ['an unknown command', { id: 1, cmd: 'drop-table', args: {} }, 1],
    ['an inherited name as command', { id: 1, cmd: 'toString', args: {} }, 1],
    ['args as an array', { id: 1, cmd: 'ping', args: [] }, 1],
    ['a long rid', { id: 1, cmd: 'ping', args: {}, rid: 'r'.repeat(129) }, 1],
    ['a string deadline', { id: 1, cmd: 'ping', args: {}, deadline: 'soon' }, 1],
    ['a key on a read', { id: 1, cmd: 'top', args: { n: 1 }, key: 'k' }, 1],
    ['a bad key', { id: 1, cmd: 'set', args: { user: 1, total: 1 }, key: 'has space' }, 1],
    ['an unknown envelope field', { id: 1, cmd: 'ping', args: {}, extra: 1 }, 1],
    ['a float total', { id: 1, cmd: 'set', args: { user: 'x', total: 1.5 } }, 1],
    ['an extra argument', { id: 1, cmd: 'set', args: { user: 'x', total: 1, extra: 1 } }, 1],
    ['a negative user', { id: 1, cmd: 'add', args: { user: -1, delta: 1 } }, 1],
    ['a missing argument', { id: 1, cmd: 'add', args: { user: 1 } }, 1],
    ['n past the page limit', { id: 1, cmd: 'top', args: { n: 10_001 } }, 1],
    ['position 0', { id: 1, cmd: 'around', args: { position: 0, scope: 1 } }, 1],
    ['arguments to ping', { id: 1, cmd: 'ping', args: { x: 1 } }, 1],
  ])('refuses %s as malformed, keeping the id when it can read one', (_what, envelope, id) => {
    const out = decodeOne(envelope);
    expect(out).toMatchObject(malformed);
    if (!out.ok) {
      expect(out.reply.id).toBe(id);
      expect(out.reply.error.message).toMatch(/^Malformed request: /);
    }
  });

  it('names the argument at fault', () => {
    const out = validateRequest({ id: 9, cmd: 'set', args: { user: 'ok', total: 'ten' } });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.reply.error.message).toContain('args.total');
  });

  it('never throws, whatever the bytes', () => {
    const random = seededRandom(99);
    const alphabet = '[]{}",:0123456789abcdefgidcmrsknulte -+.';
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(random() * 60);
      let text = '';
      for (let k = 0; k < len; k++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(() => decodeRequests(Buffer.from(text))).not.toThrow();
    }
  });
});
