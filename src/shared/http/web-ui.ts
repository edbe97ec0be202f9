import { relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * What a page of a Vigil UI may load: its own scripts only (no inline script, nothing from another
 * origin), inline styles (React's style attributes), images and video from its server or made in
 * the page; it may be framed by nobody and post forms to its own origin only.
 */
export const WEB_UI_CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Vite names everything it writes under assets/ after a hash of its content, so a file there never
 * changes under its name: browsers may keep it for a year without asking again. Anything else
 * (index.html above all, which names the current hashes) must be revalidated on every load, or a
 * new build would not reach a browser that saw the old one.
 */
export function webCacheControl(pathInWebRoot: string): string {
  return pathInWebRoot.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Serves the built UI from webRoot: the `.br` or `.gz` made beside each file at build time
 * (web/build/precompress.ts) when the browser accepts it, brotli first, the file itself otherwise.
 */
export async function serveWebUi(app: FastifyInstance, webRoot: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: webRoot,
    // An array: @fastify/static finds the compressed index of `/` only when given a list.
    index: ['index.html'],
    // One route per file found at start: no path outside the build reaches the file system.
    wildcard: false,
    // The compressed variants are served in place of their file, never under their own names.
    globIgnore: ['**/*.br', '**/*.gz'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, servedPath) => {
      reply.header('cache-control', webCacheControl(relative(webRoot, servedPath).split(sep).join('/')));
    },
  });
}
