import react from '@vitejs/plugin-react';
import type { UserConfig } from 'vite';
import { precompress } from './precompress.js';

interface WebApp {
  /** The folder of its index.html. */
  root: string;
  /** Where the build goes, served by the part's daemon on the same origin as its API. */
  outDir: string;
  /** For `vite` dev mode: the running daemon /api is proxied to, unless VIGIL_API names another. */
  devApi: string;
}

/** One Vigil web UI (the recorder's, the cloud's): the same plugins and build settings for each. */
export function vigilWebApp({ root, outDir, devApi }: WebApp): UserConfig {
  return {
    root,
    base: '/',
    plugins: [react(), precompress()],
    build: {
      outDir,
      emptyOutDir: true,
      // The password-strength dictionaries (zxcvbn) are large by nature.
      chunkSizeWarningLimit: 2500,
    },
    server: {
      // The UIs import web/shared and the password policy from src/.
      fs: { allow: [new URL('../..', import.meta.url).pathname] },
      proxy: {
        '/api': { target: process.env.VIGIL_API ?? devApi, changeOrigin: false },
      },
    },
  };
}
