// Closing a real HTTP server on loopback with clients holding connections open; the grace period
// runs on manual timers.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { CLOSE_GRACE_MS, HttpConnections } from '../../src/shared/http/http-connections.js';
import { ManualTimers } from '../helpers/manual-timers.js';

let server: Server | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const socket of clients.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A server whose handler hands each response to the test, and the connections it watches. */
async function serve(): Promise<{ connections: HttpConnections; timers: ManualTimers; port: number; responses: ServerResponse[] }> {
  const timers = new ManualTimers(new ManualClock());
  const connections = new HttpConnections(timers);
  const responses: ServerResponse[] = [];
  server = createServer((_request, response) => responses.push(response));
  connections.watch(server);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { connections, timers, port: (server.address() as { port: number }).port, responses };
}

function get(port: number): Promise<IncomingMessage> & { socket: Promise<Socket> } {
  let socketOf: (socket: Socket) => void;
  const socket = new Promise<Socket>((resolve) => (socketOf = resolve));
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      response.on('error', () => {}); // a cut stream: what the test is about
      resolve(response);
    });
    request.on('socket', (s) => {
      clients.push(s);
      socketOf(s);
    });
    request.on('error', reject);
    request.end();
  });
  return Object.assign(response, { socket });
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};
const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

it('lets a request being answered finish, then cuts a connection that never sent one', async () => {
  const { connections, port, responses } = await serve();
  const spare = connect(port, '127.0.0.1');
  clients.push(spare);
  spare.resume();
  await new Promise((resolve) => spare.once('connect', resolve));
  const answered = get(port);
  await until(() => responses.length === 1);

  const closing = connections.close();
  await new Promise((resolve) => setImmediate(resolve));
  expect(spare.closed).toBe(false);
  responses[0]!.end('answer');
  const response = await answered;
  let body = '';
  for await (const chunk of response) body += chunk;
  expect(body).toBe('answer');
  await closed(spare);
  await closing;
});

it('cuts a stream at once and a request still unanswered after the grace period', async () => {
  const { connections, timers, port, responses } = await serve();
  const stream = get(port);
  await until(() => responses.length === 1);
  connections.streaming(responses[0]!);
  responses[0]!.write('first fragment');
  await stream;
  const slow = get(port);
  slow.catch(() => {}); // cut before it is answered: what the test is about
  await until(() => responses.length === 2);

  let done = false;
  const closing = connections.close().then(() => (done = true));
  await closed(await stream.socket);
  expect((await slow.socket).closed).toBe(false);
  await timers.advance(CLOSE_GRACE_MS - 1);
  expect(done).toBe(false);
  await timers.advance(1);
  await closed(await slow.socket);
  await closing;
});
