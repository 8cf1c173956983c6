import { describe, expect, it } from 'vitest';
import { connectHost } from './hosts.js';
import { boolean, integer, logLevel, port, zmqEndpoint } from './parsers.js';
import {
  ConfigError,
  passOnSettings,
  readSettings,
  setting,
  settingsDefaults,
  settingsEnv,
} from './settings.js';

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

describe('settings handed to another process', () => {
  const withFlags = {
    ...spec,
    debug: setting({ env: 'DEBUG', flag: 'debug', parse: boolean, default: false, doc: 'd' }),
    list: setting({
      env: 'LIST',
      flag: 'list',
      parse: (raw) => raw.split(','),
      default: ['a'],
      doc: 'l',
    }),
  };

  it('are read back as the same values from the environment they become', () => {
    const values = {
      clients: 7,
      port: 9001,
      level: 'debug' as const,
      endpoint: 'ipc:///tmp/x',
      debug: true,
      list: ['x', 'y'],
    };
    const env = settingsEnv(withFlags, values);
    expect(env).toEqual({
      CLIENTS: '7',
      BASE_PORT: '9001',
      LOG_LEVEL: 'debug',
      RANKING_ENDPOINT: 'ipc:///tmp/x',
      DEBUG: '1',
      LIST: 'x,y',
    });
    expect(readSettings(withFlags, [], env)).toEqual(values);
    expect(settingsEnv(withFlags, { debug: false })).toEqual({ DEBUG: '0' });
  });

  it('pass on to a child only the settings the child has', () => {
    const parentValues = { ...settingsDefaults(withFlags), clients: 3, debug: true };
    const child = { debug: withFlags.debug, endpoint: withFlags.endpoint, other: withFlags.port };
    expect(passOnSettings(withFlags, parentValues, child)).toEqual({
      DEBUG: '1',
      RANKING_ENDPOINT: 'tcp://127.0.0.1:5555',
      BASE_PORT: '8000', // the child reads BASE_PORT too, so it is passed on
    });
    expect(passOnSettings(withFlags, parentValues, { only: withFlags.list })).toEqual({ LIST: 'a' });
  });
});

describe('connectHost', () => {
  it('reaches a wildcard listener on loopback and any other host as it is', () => {
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1');
    expect(connectHost('::')).toBe('127.0.0.1');
    expect(connectHost('10.0.0.2')).toBe('10.0.0.2');
    expect(connectHost('ranking')).toBe('ranking');
  });
});
