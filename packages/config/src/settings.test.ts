import { describe, expect, it } from 'vitest';
import { integer, logLevel, port, zmqEndpoint } from './parsers.js';
import { ConfigError, readSettings, setting } from './settings.js';

const spec = {
  clients: setting({ env: 'CLIENTS', flag: 'clients', parse: integer(1, 64), default: 2, doc: 'n' }),
  port: setting({ env: 'BASE_PORT', flag: 'base-port', parse: port, default: 8000, doc: 'p' }),
  level: setting({ env: 'LOG_LEVEL', flag: 'log-level', parse: logLevel, default: 'info', doc: 'l' }),
  endpoint: setting({
    env: 'RANKING_ENDPOINT',
    flag: 'ranking-endpoint',
    parse: zmqEndpoint,
    default: 'tcp://127.0.0.1:5555',
    doc: 'e',
  }),
};

describe('readSettings', () => {
  it('uses defaults, then the environment, then flags', () => {
    expect(readSettings(spec, [], {})).toEqual({
      clients: 2,
      port: 8000,
      level: 'info',
      endpoint: 'tcp://127.0.0.1:5555',
    });
    const cfg = readSettings(spec, ['--clients', '4', '--log-level=debug'], {
      CLIENTS: '3',
      BASE_PORT: '9000',
    });
    expect(cfg).toMatchObject({ clients: 4, port: 9000, level: 'debug' });
  });

  it.each([
    [['--clients', '0'], {}, '--clients'],
    [[], { CLIENTS: 'two' }, 'CLIENTS'],
    [[], { BASE_PORT: '70000' }, 'BASE_PORT'],
    [[], { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [[], { RANKING_ENDPOINT: 'http://x' }, 'RANKING_ENDPOINT'],
    [['--nope', '1'], {}, '--nope'],
  ])('refuses %j %j naming %s', (argv, env, name) => {
    let caught: unknown;
    try {
      readSettings(spec, argv, env);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).setting).toBe(name);
    expect((caught as ConfigError).message).toContain(name);
  });
});
