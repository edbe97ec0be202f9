import type { FrameSink } from '../cameras/camera-supervisor.js';
import { LiveFeed } from './live-feed.js';

/** Every camera's live feed, by camera id: the daemon's sink factory makes them, the live routes read them. */
export class LiveHub {
  readonly #feeds = new Map<number, LiveFeed>();

  /** A camera's supervisor (re)starts: its frames go to the camera's feed (one feed per camera, kept across restarts). */
  sinkFor(cameraId: number): FrameSink {
    let feed = this.#feeds.get(cameraId);
    if (!feed) this.#feeds.set(cameraId, (feed = new LiveFeed()));
    return feed;
  }

  feed(cameraId: number): LiveFeed | undefined {
    return this.#feeds.get(cameraId);
  }
}
