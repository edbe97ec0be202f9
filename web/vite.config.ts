import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { vigilWebApp } from './build/vite-app.js';

// The recorder serves the built UI from dist/web on the same origin as the API.
// For `vite` dev mode, /api is proxied to a recorder (VIGIL_API, default http://127.0.0.1:8080).
export default defineConfig(
  vigilWebApp({ root: fileURLToPath(new URL('.', import.meta.url)), outDir: '../dist/web', devApi: 'http://127.0.0.1:8080' }),
);
