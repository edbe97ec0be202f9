import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text formats worth compressing; images and video are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map|wasm)$/;

/**
 * Writes `<file>.br` and `<file>.gz` beside each compressible file of the build, at the highest
 * levels: done once at build time, so the recorder (often a small ARM box) never compresses per
 * request, and @fastify/static's `preCompressed` serves them. A variant that is not smaller than
 * the file is not written, and the recorder then sends the file as it is.
 */
export function precompress(): Plugin {
  return {
    name: 'vigil-precompress',
    apply: 'build',
    async writeBundle(output, bundle) {
      const outDir = output.dir;
      if (!outDir) return;
      const files = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name));
      await Promise.all(
        files.map(async (name) => {
          const path = join(outDir, name);
          const raw = await readFile(path);
          const variants: Array<[string, Buffer]> = [
            ['.br', brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })],
            ['.gz', gzipSync(raw, { level: constants.Z_BEST_COMPRESSION })],
          ];
          for (const [suffix, packed] of variants) {
            if (packed.length < raw.length) await writeFile(path + suffix, packed);
          }
        }),
      );
    },
  };
}
