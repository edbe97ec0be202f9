import type { Server, ServerResponse } from 'node:http';
import type { Timers } from '../timers.js';

/** How long a request being answered when the server closes may take to finish its answer. */
export const CLOSE_GRACE_MS = 1000;

/**
 * The connections of an HTTP(S) server, so that closing it takes a bounded time whatever the
 * clients keep open. Node's `server.close()` waits for every connection to end and only reaps the
 * idle keep-alive ones. It does not count as idle a connection the client opened and has not yet
 * sent a request on (fetch and browsers open such spare connections): one of those held a
 * recorder's stop for 70 s, until the client gave up on it. Nor does a response that never ends
 * by itself (live video) ever let it finish.
 */
export class HttpConnections {
  #server: Server | undefined;
  readonly #answering = new Set<ServerResponse>();
  readonly #streams = new Set<ServerResponse>();
  #closing = false;

  constructor(private readonly timers: Timers) {}

  /** Follows the requests of `server` (once, before it listens). */
  watch(server: Server): void {
    this.#server = server;
    server.on('request', (_request, response: ServerResponse) => {
      this.#answering.add(response);
      response.once('close', () => {
        this.#answering.delete(response);
        this.#streams.delete(response);
        if (this.#closing && this.#answering.size === 0) server.closeAllConnections();
      });
    });
  }

  /** `response` is a stream that only ends when the client leaves (live, playback, export): the close cuts it at once. */
  streaming(response: ServerResponse): void {
    if (this.#closing) response.destroy();
    else if (!response.destroyed) this.#streams.add(response);
  }

  /**
   * Stops accepting connections and cuts every stream at once; lets the requests being answered
   * finish for up to `graceMs`, then cuts every connection left (idle, spare or still answering).
   * Resolves when every connection has ended.
   */
  close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    const server = this.#server;
    if (!server) return Promise.resolve();
    this.#closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const stream of this.#streams) stream.destroy();
    // Left now: requests being answered, idle connections and ones that never sent a request.
    if (this.#answering.size === 0) server.closeAllConnections();
    const cancel = this.timers.after(graceMs, () => server.closeAllConnections());
    return closed.finally(cancel);
  }
}
