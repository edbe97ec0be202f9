// A real HTTP server on 127.0.0.1 standing in for an SMS gateway: it keeps every request it gets,
// and answers with the status a test chooses (or holds the answer until the test lets it go).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedText {
  method: string;
  headers: IncomingHttpHeaders;
  /** The JSON body as sent: the recorder posts `{ to, text }`. */
  body: { to?: unknown; text?: unknown };
}

export interface TestSmsGateway {
  url: string;
  texts: ReceivedText[];
  /** The HTTP status the gateway answers with (202 unless a test changes it). */
  status: number;
  /** While true, requests are kept unanswered until `release()`. */
  hold: boolean;
  release(): void;
  close(): Promise<void>;
}

export async function startTestSmsGateway(): Promise<TestSmsGateway> {
  const held: ServerResponse[] = [];
  const gateway: TestSmsGateway = {
    url: '',
    texts: [],
    status: 202,
    hold: false,
    release() {
      for (const res of held.splice(0)) res.writeHead(gateway.status).end();
    },
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      gateway.texts.push({ method: req.method ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedText['body'] });
      if (gateway.hold) held.push(res);
      else res.writeHead(gateway.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  gateway.close = () =>
    new Promise<void>((resolve) => {
      gateway.release();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gateway;
}
