import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, sendJson, stringFields } from './camera-http.js';
import type { ButtonOutcome, ButtonRequest } from './reset-button.js';

/**
 * The reset button, simulated: HTTP on a Unix socket in the data directory, mode 0600, so only the
 * camera's own user (someone at the device) can press it; nothing on the network reaches it.
 * `POST /button` with `{"press":"long"}` or `{"press":"short","labelCode":"...","password":"..."}`.
 */
export async function startButtonSocket(path: string, press: (request: ButtonRequest) => Promise<ButtonOutcome>): Promise<{ close(): Promise<void> }> {
  if (existsSync(path)) unlinkSync(path); // one camera per data directory: the database is its lock
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/button') return sendJson(res, 404, { error: 'POST /button' });
    const body = await readBody(req);
    const long = stringFields(body, ['press']);
    const short = stringFields(body, ['press', 'labelCode', 'password']);
    const request: ButtonRequest | undefined =
      short?.press === 'short' ? { press: 'short', labelCode: short.labelCode, password: short.password } : long?.press === 'long' ? { press: 'long' } : undefined;
    if (!request) return sendJson(res, 400, { error: 'Send {"press":"long"} or {"press":"short","labelCode":"...","password":"..."}' });
    const outcome = await press(request);
    sendJson(res, outcome.ok ? 200 : 400, outcome);
  }
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
