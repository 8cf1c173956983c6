/**
 * nginx's own answers, rendered from the error catalogue: for each status nginx can make itself, an
 * `error_page` to an internal location that returns the catalogue's JSON body. nginx.conf holds the
 * rendered block between "# errors:begin" and "# errors:end" (so the file works as it is), the
 * launcher renders it again into every config it writes, and a test checks the two agree — the
 * bodies are never copied by hand.
 */
import { ErrorCode, RETRY_AFTER_SECONDS, errorCatalogue } from '@scoreboard/protocol';

/** One answer nginx makes itself. */
interface NginxError {
  /** The status nginx answers with. */
  status: number;
  code: ErrorCode;
  /** What nginx knows better than the catalogue's general message (else the catalogue's). */
  message?: string;
  /** nginx's internal status that maps onto `status` (494: request headers too large). */
  from?: number;
}

/** Every status nginx answers by itself (client errors of HTTP parsing, and its upstream failures). */
export const NGINX_ERRORS: readonly NginxError[] = [
  { status: 400, code: ErrorCode.HTTP_VALIDATION, message: 'Malformed HTTP request.' },
  { status: 405, code: ErrorCode.HTTP_METHOD_NOT_ALLOWED, message: 'The method is not allowed.' },
  { status: 408, code: ErrorCode.HTTP_TIMEOUT },
  {
    status: 411,
    code: ErrorCode.HTTP_VALIDATION,
    message: 'A request with a body needs a Content-Length.',
  },
  { status: 413, code: ErrorCode.HTTP_BODY_TOO_LARGE },
  { status: 414, code: ErrorCode.HTTP_URI_TOO_LONG },
  { status: 431, code: ErrorCode.HTTP_HEADERS_TOO_LARGE, from: 494 },
  { status: 500, code: ErrorCode.INTERNAL },
  { status: 501, code: ErrorCode.HTTP_NOT_IMPLEMENTED },
  { status: 502, code: ErrorCode.GATEWAY_BAD_GATEWAY },
  { status: 503, code: ErrorCode.GATEWAY_UNAVAILABLE },
  { status: 504, code: ErrorCode.GATEWAY_TIMEOUT },
  { status: 505, code: ErrorCode.HTTP_NOT_IMPLEMENTED, message: 'The HTTP version is not supported.' },
];

/** O(1). A string as an nginx single-quoted literal (backslash and quote escaped). */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * O(errors). The lines between the "errors" markers, indented by `indent`: the error_page
 * directives, then one internal location per status. A 503 also says when to retry.
 */
export function renderNginxErrors(indent: string): string {
  const out: string[] = [];
  for (const e of NGINX_ERRORS) {
    const page = `/_scoreboard/errors/${e.status}`;
    out.push(`error_page ${e.from === undefined ? e.status : `${e.from} =${e.status}`} ${page};`);
  }
  for (const e of NGINX_ERRORS) {
    const body = JSON.stringify({
      error: { code: e.code, message: e.message ?? errorCatalogue[e.code].message },
    });
    out.push(`location = /_scoreboard/errors/${e.status} {`);
    out.push('    internal;');
    if (e.status === 503) {
      out.push(`    add_header Retry-After ${RETRY_AFTER_SECONDS} always;`);
      out.push('    add_header X-Request-Id $scoreboard_request_id always;');
    }
    out.push(`    return ${e.status} ${quoted(body)};`);
    out.push('}');
  }
  return out.map((line) => `${indent}${line}\n`).join('');
}

const BLOCK = /([ \t]*)# errors:begin[^\n]*\n[\s\S]*?# errors:end\n/;

/** O(template). The template with its errors block rendered anew; throws without the markers. */
export function withNginxErrors(template: string): string {
  const indent = BLOCK.exec(template)?.[1];
  if (indent === undefined) throw new Error('nginx.conf has no "# errors:begin/end" markers');
  return template.replace(
    BLOCK,
    `${indent}# errors:begin (rendered from the error catalogue: packages/launcher/src/nginx-errors.ts)\n` +
      `${renderNginxErrors(indent)}${indent}# errors:end\n`,
  );
}
