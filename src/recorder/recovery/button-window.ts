import type { Clock } from '../../shared/clock.js';

/** Long enough to walk from the recorder to a computer and type the label code. */
export const BUTTON_WINDOW_SECONDS = 10 * 60;

/** Pure: is a window that closes at `closesAt` (null: none was opened) still open at `now`? */
export function buttonWindowOpen(closesAt: number | null, now: number): boolean {
  return closesAt !== null && now < closesAt;
}

/**
 * The time after a short press of the reset button in which the label code may reset an admin
 * password. Kept in memory only: a restart closes it, which is the safe direction.
 */
export class ButtonWindow {
  #closesAt: number | null = null;

  constructor(private readonly clock: Clock) {}

  /** Opens (or re-opens, for the full time) the window; returns when it closes. */
  open(): number {
    this.#closesAt = this.clock.now() + BUTTON_WINDOW_SECONDS * 1000;
    return this.#closesAt;
  }

  isOpen(): boolean {
    return buttonWindowOpen(this.#closesAt, this.clock.now());
  }

  /** Closes the window; true if it was open (so exactly one caller can use it up). */
  close(): boolean {
    const wasOpen = this.isOpen();
    this.#closesAt = null;
    return wasOpen;
  }
}
