/** What the recorder knows now of one camera's motion, for motion-only recording and the camera's status. */
export interface MotionNow {
  /** A pull-point subscription is up: motion is being watched. */
  subscribed: boolean;
  /** The open event's start (recorder's clock), or null when there is no motion. */
  openSince: number | null;
  /** When the last event ended, or null when none did on this run. */
  lastEndAt: number | null;
}

const UNWATCHED: MotionNow = { subscribed: false, openSince: null, lastEndAt: null };

/** Per camera, on this run of the recorder: written by its motion subscriber, read by its recording. */
export class MotionStatus {
  readonly #cameras = new Map<number, MotionNow>();

  of(cameraId: number): MotionNow {
    return this.#cameras.get(cameraId) ?? UNWATCHED;
  }

  subscribed(cameraId: number, subscribed: boolean): void {
    this.#set(cameraId, { subscribed });
  }

  started(cameraId: number, at: number): void {
    this.#set(cameraId, { openSince: at });
  }

  ended(cameraId: number, at: number): void {
    this.#set(cameraId, { openSince: null, lastEndAt: at });
  }

  #set(cameraId: number, change: Partial<MotionNow>): void {
    this.#cameras.set(cameraId, { ...this.of(cameraId), ...change });
  }
}
