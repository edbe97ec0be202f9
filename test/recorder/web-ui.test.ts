import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRecorder, type TestRecorder } from '../helpers/recorder.js';

// Needs `npm run build`: the recorder serves dist/web, and the build writes the .br and .gz files.
const WEB_ROOT = join(import.meta.dirname, '..', '..', 'dist', 'web');
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they came over the wire, still encoded. */
  body: Buffer;
}

/** A GET whose path and Accept-Encoding go out exactly as given (fetch would normalise and decode). */
function rawGet(baseUrl: string, path: string, acceptEncoding?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(response: RawResponse): Buffer {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip') return gunzipSync(response.body);
  return response.body;
}

/** The scripts a page asks for before it runs: index.html's module scripts and modulepreloads. */
function scriptsNamedBy(html: string): string[] {
  const tags = html.match(/<(?:script|link)\b[^>]*>/g) ?? [];
  return tags.flatMap((tag) => {
    const isScript = tag.startsWith('<script') && /type="module"/.test(tag);
    const isPreload = tag.startsWith('<link') && /rel="modulepreload"/.test(tag);
    const url = /(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    return (isScript || isPreload) && url ? [url] : [];
  });
}

/** Chunks a module imports statically (so loads with it); `import("...")` is left out, as it loads later. */
function staticImportsOf(url: string, source: string): string[] {
  const found = source.matchAll(/\bimport\s*(?:[\w$*{},\s]+?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+)["'`]/g);
  return [...found].map((match) => new URL(match[1]!, new URL(url, 'http://ui')).pathname);
}

/** The start of each zxcvbn dictionary as shipped, to find the chunk a build put it in. */
function dictionaryMarkers(): string[] {
  const modules = join(import.meta.dirname, '..', '..', 'node_modules', '@zxcvbn-ts');
  return ['language-common/dist/passwords.json.mjs', 'language-en/dist/commonWords.json.mjs'].map((file) => {
    const text = readFileSync(join(modules, file), 'utf8');
    const literal = /decompress\("([^"]{60})/.exec(text)?.[1];
    if (!literal) throw new Error(`no dictionary literal in ${file}`);
    return literal;
  });
}

describe('the built web UI, as the recorder serves it', () => {
  let rec: TestRecorder;
  let entry: string;

  beforeAll(async () => {
    rec = await startTestRecorder({ serveWeb: true });
    const index = readFileSync(join(WEB_ROOT, 'index.html'), 'utf8');
    entry = scriptsNamedBy(index)[0]!;
    expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
  });
  afterAll(async () => rec.close());

  it('sends a hashed asset brotli-encoded when accepted, cached for a year, decoding to the file', async () => {
    const response = await rawGet(rec.url, entry, 'gzip, deflate, br');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^(?:text|application)\/javascript/);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    const file = readFileSync(join(WEB_ROOT, entry));
    expect(response.body.length).toBeLessThan(file.length / 3);
    expect(brotliDecompressSync(response.body).equals(file)).toBe(true);
  });

  it('sends gzip to a browser that accepts only gzip, and the file itself to one that accepts neither', async () => {
    const file = readFileSync(join(WEB_ROOT, entry));
    const gzipped = await rawGet(rec.url, entry, 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['cache-control']).toBe(IMMUTABLE);
    expect(gunzipSync(gzipped.body).equals(file)).toBe(true);

    for (const acceptEncoding of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = await rawGet(rec.url, entry, acceptEncoding);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.headers['cache-control']).toBe(IMMUTABLE);
      expect(plain.body.equals(file)).toBe(true);
    }
  });

  it('has index.html revalidated on every load, so a new build is picked up', async () => {
    const file = readFileSync(join(WEB_ROOT, 'index.html'));
    for (const path of ['/', '/index.html']) {
      for (const acceptEncoding of ['br', 'gzip', undefined]) {
        const response = await rawGet(rec.url, path, acceptEncoding);
        expect(response.status, `${path} with ${acceptEncoding}`).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(decoded(response).equals(file)).toBe(true);
      }
    }
  });

  it('serves nothing outside the web root, nor the compressed files under their own names', async () => {
    const outside = [
      '/assets/../../package.json',
      '/assets/../../../package.json',
      '/../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..\\..\\package.json',
      `${entry}.br`,
      '/index.html.gz',
    ];
    for (const path of outside) {
      for (const acceptEncoding of ['br', undefined]) {
        const response = await rawGet(rec.url, path, acceptEncoding);
        expect([400, 403, 404], `${path} answered ${response.status}`).toContain(response.status);
        expect(decoded(response).toString('utf8')).not.toContain('"name": "vigil"');
      }
    }
  });

  it('loads at most 250 KB of gzipped JavaScript before any password field is used, without the dictionaries', async () => {
    const index = decoded(await rawGet(rec.url, '/', 'gzip')).toString('utf8');
    const toLoad = scriptsNamedBy(index);
    const loaded = new Map<string, { gzipped: number; raw: number; brotli: number; source: string }>();
    for (let url = toLoad.shift(); url !== undefined; url = toLoad.shift()) {
      if (loaded.has(url)) continue;
      const gzipped = await rawGet(rec.url, url, 'gzip');
      expect(gzipped.status).toBe(200);
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      const source = gunzipSync(gzipped.body).toString('utf8');
      const brotli = await rawGet(rec.url, url, 'br');
      loaded.set(url, { gzipped: gzipped.body.length, raw: Buffer.byteLength(source), brotli: brotli.body.length, source });
      toLoad.push(...staticImportsOf(url, source));
    }
    const total = [...loaded.values()].reduce((sum, script) => sum + script.gzipped, 0);
    console.info(
      'first-load JavaScript:',
      [...loaded].map(([url, s]) => `${url} raw ${s.raw} B, gzip ${s.gzipped} B, brotli ${s.brotli} B`).join('; '),
      `; total gzip ${total} B`,
    );
    expect(loaded.has(entry)).toBe(true);
    expect(total).toBeLessThanOrEqual(250 * 1024);

    // The dictionaries are in the build, in chunks the first load does not fetch.
    const assets = readdirSync(join(WEB_ROOT, 'assets')).filter((name) => name.endsWith('.js'));
    for (const marker of dictionaryMarkers()) {
      const holders = assets.filter((name) => readFileSync(join(WEB_ROOT, 'assets', name), 'utf8').includes(marker));
      expect(holders.length).toBeGreaterThan(0);
      for (const name of holders) expect(loaded.has(`/assets/${name}`)).toBe(false);
      for (const script of loaded.values()) expect(script.source).not.toContain(marker);
    }
  });
});
