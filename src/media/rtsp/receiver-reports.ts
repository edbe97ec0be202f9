/**
 * Sends RTCP receiver reports to the camera while the stream plays. Some cameras (LIVE555-based
 * ones among them) end a UDP session that has gone about a minute without one.
 *
 * RFC 3550 §6.2 computes the interval from the session bandwidth and the number of members; with
 * one sender and one receiver that comes to its 5 s minimum, so the interval is simply 5 s, varied
 * by ±50% (§6.3.1) so that many recorders do not report in step. The first report goes after half
 * of it, as §6.2 allows for the initial one.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import type { ReceptionStats } from './reception-stats.js';
import { receiverReport } from './rtcp.js';

const INTERVAL_MS = 5000;

export class ReceiverReports {
  readonly #stats: ReceptionStats;
  readonly #send: (packet: Buffer) => void;
  readonly #clock: Clock;
  readonly #random: () => number;
  /** Ours, random as §8.1 asks; and a random CNAME as RFC 7022 recommends (no host name leaks). */
  readonly #ssrc = randomBytes(4).readUInt32BE(0);
  readonly #cname = randomBytes(12).toString('base64');
  #timer: NodeJS.Timeout | undefined;

  constructor(stats: ReceptionStats, send: (packet: Buffer) => void, clock: Clock, random: () => number = Math.random) {
    this.#stats = stats;
    this.#send = send;
    this.#clock = clock;
    this.#random = random;
  }

  /** A real timer, like the stream's watchdog: it paces packets to the camera, not recorded time. */
  start(): void {
    this.#schedule(INTERVAL_MS / 2);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #schedule(intervalMs: number): void {
    this.#timer = setTimeout(() => {
      this.#send(receiverReport(this.#ssrc, this.#cname, this.#stats.report(this.#clock.now())));
      this.#schedule(INTERVAL_MS);
    }, intervalMs * (0.5 + this.#random()));
    this.#timer.unref();
  }
}
