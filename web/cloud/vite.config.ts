import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { vigilWebApp } from '../build/vite-app.js';

// `vigil cloud` serves the built UI from dist/web-cloud on the same origin as its API.
// For `vite` dev mode, /api is proxied to a cloud (VIGIL_API, default http://127.0.0.1:8090).
export default defineConfig(
  vigilWebApp({ root: fileURLToPath(new URL('.', import.meta.url)), outDir: '../../dist/web-cloud', devApi: 'http://127.0.0.1:8090' }),
);
