import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { precompress } from './build/precompress.js';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// The recorder serves the built UI from dist/web on the same origin as the API.
// For `vite` dev mode, /api is proxied to a recorder (VIGIL_API, default http://127.0.0.1:8080).
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The password-strength dictionaries (zxcvbn) are large by nature.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    fs: { allow: ['..'] },
    proxy: {
      '/api': { target: process.env.VIGIL_API ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
