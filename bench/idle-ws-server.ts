// The smallest WebSocket endpoint (the `ws` package, nothing else), for `npm run bench -- cloud`
// while the cloud has no device endpoint of its own: prints its port, holds every connection idle,
// answers each line `measure` on stdin with its memory after a full garbage collection (it runs
// with --expose-gc), exits when its stdin closes.
import { createInterface } from 'node:readline';
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('listening', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
createInterface({ input: process.stdin })
  .on('line', () => {
    (globalThis as { gc?: () => void }).gc?.();
    console.log(JSON.stringify(process.memoryUsage()));
  })
  .on('close', () => process.exit(0));
