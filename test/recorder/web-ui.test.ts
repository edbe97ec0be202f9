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

/**
 * Every chunk a module may load: its static and lazy imports (`"./x.js"`), and the chunks Vite
 * preloads with a lazy import (`"assets/x.js"` in its dependency map).
 */
function chunksNamedIn(url: string, source: string): string[] {
  const found = source.matchAll(/["'`]((?:\.\/|\/?assets\/)[\w.-]+\.js)["'`]/g);
  return [...found].map((match) => {
    const name = match[1]!;
    return name.startsWith('.') ? new URL(name, new URL(url, 'http://ui')).pathname : `/${name.replace(/^\//, '')}`;
  });
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

  interface Script {
    raw: number;
    gzipped: number;
    brotli: number;
    source: string;
  }

  /** A script as the recorder sends it, with its size on the wire in each encoding. */
  async function fetchScript(url: string): Promise<Script> {
    const gzipped = await rawGet(rec.url, url, 'gzip');
    expect(gzipped.status, url).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    const source = gunzipSync(gzipped.body).toString('utf8');
    const brotli = await rawGet(rec.url, url, 'br');
    return { raw: Buffer.byteLength(source), gzipped: gzipped.body.length, brotli: brotli.body.length, source };
  }

  /** Fetches from `start`, then what each fetched script names through `follow`, but none of `avoid`. */
  async function fetchAll(start: string[], follow: (url: string, source: string) => string[], avoid = new Set<string>()) {
    const loaded = new Map<string, Script>();
    const toLoad = [...start];
    for (let url = toLoad.shift(); url !== undefined; url = toLoad.shift()) {
      if (loaded.has(url) || avoid.has(url)) continue;
      const script = await fetchScript(url);
      loaded.set(url, script);
      toLoad.push(...follow(url, script.source));
    }
    return loaded;
  }

  function gzippedTotal(scripts: Map<string, Script>, label: string): number {
    const total = [...scripts.values()].reduce((sum, script) => sum + script.gzipped, 0);
    const each = [...scripts].map(([url, s]) => `${url} raw ${s.raw} B, gzip ${s.gzipped} B, brotli ${s.brotli} B`);
    console.info(`${label}: ${each.join('; ')}; total gzip ${total} B`);
    return total;
  }

  /** The built chunks that hold a zxcvbn dictionary (each dictionary is in one at least). */
  function dictionaryChunks(): Set<string> {
    const assets = readdirSync(join(WEB_ROOT, 'assets')).filter((name) => name.endsWith('.js'));
    const chunks = new Set<string>();
    for (const marker of dictionaryMarkers()) {
      const holders = assets.filter((name) => readFileSync(join(WEB_ROOT, 'assets', name), 'utf8').includes(marker));
      expect(holders.length, marker).toBeGreaterThan(0);
      for (const name of holders) chunks.add(`/assets/${name}`);
    }
    return chunks;
  }

  it('loads at most 250 KB of gzipped JavaScript at first, without the password dictionaries', async () => {
    const index = decoded(await rawGet(rec.url, '/', 'gzip')).toString('utf8');
    const loaded = await fetchAll(scriptsNamedBy(index), staticImportsOf);
    expect(loaded.has(entry)).toBe(true);
    expect(gzippedTotal(loaded, 'first load')).toBeLessThanOrEqual(250 * 1024);
    for (const chunk of dictionaryChunks()) expect(loaded.has(chunk), chunk).toBe(false);
  });

  it('keeps every page within 250 KB before a password field is used, even were all lazy chunks loaded at once', async () => {
    // The pages are hash routes of one document, so a page can add only the chunks imported lazily;
    // all of them but the dictionaries (loaded when a password field is first used) are counted.
    const dictionaries = dictionaryChunks();
    const reached = new Set<string>();
    const follow = (url: string, source: string) => {
      const named = chunksNamedIn(url, source);
      for (const chunk of named) reached.add(chunk);
      return named;
    };
    const loaded = await fetchAll([entry], follow, dictionaries);
    // The walk did find the lazy imports: it reached each dictionary chunk and left it out.
    for (const chunk of dictionaries) expect(reached.has(chunk), chunk).toBe(true);
    expect(gzippedTotal(loaded, 'all but the dictionaries')).toBeLessThanOrEqual(250 * 1024);
  });
});
