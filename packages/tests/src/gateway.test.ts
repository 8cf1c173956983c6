/**
 * Every answer the public endpoint makes — nginx's own and the clients' — is JSON with a catalogue
 * code, whatever arrives: raw bytes on a socket, so nothing is tidied up by an HTTP library first.
 * The same requests straight to a client (no nginx) get catalogue answers from Node's parser too.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ clients: 2, nginx: true });
});
afterAll(async () => cluster.stop());

/**
 * Sends raw bytes and reads one response — up to its Content-Length, or until the server closes;
 * answers status, headers and body text.
 */
function raw(
  port: number,
  bytes: string | Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const parse = () => {
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      return { status: Number(statusLine.split(' ')[1]), headers, body };
    };
    const done = () => {
      socket.destroy();
      resolve(parse());
    };
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer in 5 s')));
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (!text.includes('\r\n\r\n')) return;
      const { status, headers, body } = parse();
      const length = headers['content-length'];
      if (status === 204 || (length !== undefined && Buffer.byteLength(body, 'latin1') >= Number(length)))
        done();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(parse()));
    socket.write(bytes); // not end(): nginx drops a request whose client has half-closed
  });
}

const request = (line: string, headers: string[] = [], body = '') =>
  [line, 'Host: x', 'Connection: close', ...headers, '', body].join('\r\n');

const cases: Array<[string, string | Buffer, number, string]> = [
  ['a request line that is not one', 'GARBAGE\r\n\r\n', 400, ErrorCode.HTTP_VALIDATION],
  ['an unsupported HTTP version', request('GET /top/1 HTTP/9.9'), 505, ErrorCode.HTTP_NOT_IMPLEMENTED],
  ['a bad percent-encoding', request('GET /users/%zz HTTP/1.1'), 400, ErrorCode.HTTP_VALIDATION],
  ['an encoded NUL', request('GET /users/%00 HTTP/1.1'), 400, ErrorCode.HTTP_VALIDATION],
  [
    'a header past 8 KiB',
    request('GET /top/1 HTTP/1.1', [`X-Big: ${'a'.repeat(9000)}`]),
    431,
    ErrorCode.HTTP_HEADERS_TOO_LARGE,
  ],
  ['a URI past 8 KiB', request(`GET /${'a'.repeat(9000)} HTTP/1.1`), 414, ErrorCode.HTTP_URI_TOO_LONG],
  [
    'an unknown method on a known route',
    request('FOO /score HTTP/1.1'),
    405,
    ErrorCode.HTTP_METHOD_NOT_ALLOWED,
  ],
  [
    'a known method the route does not take',
    request('DELETE /score HTTP/1.1'),
    405,
    ErrorCode.HTTP_METHOD_NOT_ALLOWED,
  ],
  ['TRACE', request('TRACE /score HTTP/1.1'), 405, ErrorCode.HTTP_METHOD_NOT_ALLOWED],
  ['CONNECT', 'CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n', 400, ErrorCode.HTTP_VALIDATION],
  ['an unknown method on an unknown path', request('FOO /nope HTTP/1.1'), 404, ErrorCode.HTTP_NOT_FOUND],
  [
    'an unsupported transfer coding',
    request('PUT /score HTTP/1.1', ['Transfer-Encoding: gzip']),
    501,
    ErrorCode.HTTP_NOT_IMPLEMENTED,
  ],
  [
    'a Content-Length that is not a number',
    request('PUT /score HTTP/1.1', ['Content-Length: abc']),
    400,
    ErrorCode.HTTP_VALIDATION,
  ],
  ['two Host headers', request('GET /top/1 HTTP/1.1', ['Host: y']), 400, ErrorCode.HTTP_VALIDATION],
  [
    'a space in a header name',
    request('GET /top/1 HTTP/1.1', ['Bad Header: y']),
    400,
    ErrorCode.HTTP_VALIDATION,
  ],
  [
    'HTTP/1.1 without Host',
    'GET /top/1 HTTP/1.1\r\nConnection: close\r\n\r\n',
    400,
    ErrorCode.HTTP_VALIDATION,
  ],
  [
    'a body past the limit',
    request(
      'PUT /score HTTP/1.1',
      ['Content-Type: application/json', 'Content-Length: 100000'],
      'x'.repeat(100),
    ),
    413,
    ErrorCode.HTTP_BODY_TOO_LARGE,
  ],
];

describe('the public endpoint', () => {
  for (const [what, bytes, status, code] of cases) {
    it(`answers ${what} with a JSON ${status}`, async () => {
      const res = await raw(cluster.nginxPort, bytes);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code } });
    });
  }

  it('says which methods a known route takes', async () => {
    expect((await raw(cluster.nginxPort, request('FOO /boards/b HTTP/1.1'))).headers['allow']).toBe(
      'DELETE, GET, HEAD, PUT',
    );
    const options = await raw(cluster.nginxPort, request('OPTIONS /boards/b/top/5 HTTP/1.1'));
    expect(options.status).toBe(204);
    expect(options.headers['allow']).toBe('GET, HEAD');
  });
});

describe('a client port reached directly', () => {
  for (const [what, bytes, status, code] of [
    ['a request line that is not one', 'GARBAGE\r\n\r\n', 400, ErrorCode.HTTP_VALIDATION],
    ['an unknown method', request('FOO /score HTTP/1.1'), 400, ErrorCode.HTTP_VALIDATION],
    [
      'a header past 16 KiB',
      request('GET /top/1 HTTP/1.1', [`X-Big: ${'a'.repeat(20_000)}`]),
      431,
      ErrorCode.HTTP_HEADERS_TOO_LARGE,
    ],
  ] as const) {
    it(`answers ${what} with a JSON ${status}`, async () => {
      const res = await raw(cluster.basePort, bytes);
      expect(res.status).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code } });
    });
  }
});
