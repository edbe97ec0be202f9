// Generated requests for the "bad input never produces a 500, a crash or a partial write" tests
// of every HTTP API (the recorder's, the cloud's), and a raw client that sends them byte for byte.
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// A raw HTTP client: exact control over path, headers and body bytes (fetch would normalise them).

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | Buffer;
}
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends `req` to 127.0.0.1:`port` as it is, over `agent`. */
export function sendRaw(port: number, agent: Agent, req: RawRequest): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) if (v !== undefined) headers[k] = v;
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const r = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

// ---------------------------------------------------------------------------------------------
// Generators.

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
export const oddChar = fc.constantFrom('a', 'Z', '0', ' ', '-', '\u0000', '\u0007', '\u200b', '\ufeff', '\u202e', 'é', 'e\u0301', 'ß', 'İ', 'ﷺ', '😀', '"', '\\', '/', '<', '%', '\n');
export const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });

/** Strings as an attacker or a confused client might send them. */
export const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.oneof(loneSurrogate, oddChar), maxLength: 30 }),
  // Huge: up to 100 KB (over the 64 KB body limit, and far over every field's maxLength).
  fc
    .tuple(fc.integer({ min: 500, max: 100_000 }), fc.constantFrom('a', 'é', '😀', '\ud800', 'ﷺ', '\u0000', '"'))
    .map(([n, s]) => s.repeat(Math.ceil(n / s.length))),
);

/** Any JSON value, including what JSON.stringify makes of arbitrary JS values. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.anything().map((v) => {
    const text = JSON.stringify(v);
    return text === undefined ? null : (JSON.parse(text) as unknown);
  }),
);

function nested(depth: number, arrays: boolean): string {
  return arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** JSON bodies for a route: any value, its own keys with wrong types or odd strings, extra keys, deep nesting. */
export function jsonBody(keys: readonly string[]): fc.Arbitrary<string> {
  const ownKeys = keys.length > 0 ? keys : ['x'];
  const fieldValue = fc.oneof(weirdString, anyJson);
  return fc.oneof(
    anyJson.map((v) => JSON.stringify(v)),
    fc.record(Object.fromEntries(ownKeys.map((k) => [k, fieldValue])), { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.record(Object.fromEntries(ownKeys.map((k) => [k, weirdString]))).map((v) => JSON.stringify(v)),
    fc
      .tuple(
        fc.record(Object.fromEntries(ownKeys.map((k) => [k, fc.string({ maxLength: 20 })]))),
        fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { minKeys: 1, maxKeys: 3 }),
      )
      .map(([own, extra]) => JSON.stringify({ ...extra, ...own })),
    fc
      .tuple(fc.constantFrom(...ownKeys), fc.integer({ min: 1, max: 12_000 }), fc.boolean())
      .map(([k, depth, arrays]) => `{${JSON.stringify(k)}:${nested(depth, arrays)}}`),
    fc.constantFrom(
      '{"__proto__":{"isAdmin":true}}',
      `{"${ownKeys[0]}":"x","__proto__":{"x":1}}`,
      '{"constructor":{"prototype":{"isAdmin":true}}}',
      `{"${ownKeys[0]}":"a","${ownKeys[0]}":"b"}`,
    ),
  );
}

export const CONTENT_TYPES = [
  undefined,
  '',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/json;;;',
  'application/jsonx',
  'application/problem+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'text/plain',
  'text/plain; charset=latin1',
  'text/html',
  'application/octet-stream',
  '*/*',
  'json',
  ';',
] as const;

/** Bodies that are not JSON, or not what their content type says. */
export const rawBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  jsonBody(['password', 'labelCode', 'username']).chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))),
  fc.constantFrom(
    '',
    '{',
    '}',
    '[',
    'null',
    'true',
    '0',
    '""',
    '{"a":1,}',
    "{'password':'x'}",
    '{"a":NaN}',
    '\ufeff{}',
    '{"password":"x"}\u0000',
    'labelCode=ABCD&password=x',
    '--xyz\r\nContent-Disposition: form-data; name="password"\r\n\r\nx\r\n--xyz--\r\n',
  ),
  fc.integer({ min: 60_000, max: 100_000 }).map((n) => `{"password":"${'a'.repeat(n)}"}`),
);

/** Inserted into a URL: broken percent-encoding, traversal, separators. */
export const urlJunk = fc.constantFrom('%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%00', '%2F', '%252F', '%ff', '%u0041', '%%', '//', '/./', '/../', ';', ';x=1', '..', '%2e%2e', '~', '*', '!', '$', "'", '(', '@', ':', '&');
