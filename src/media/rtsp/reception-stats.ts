/**
 * What a receiver report says about the camera's stream (RFC 3550 §6.4.1): losses from sequence
 * numbers (§A.3), interarrival jitter (§A.8), and the echo of the last sender report. Pure: arrival
 * times are passed in (ms, from the stream's clock).
 */
import type { ReportBlock, SenderReport } from './rtcp.js';

export interface ArrivingPacket {
  ssrc: number;
  sequence: number;
  timestamp: number;
}

export class ReceptionStats {
  readonly #clockRate: number;
  #ssrc: number | undefined;
  #baseSequence = 0;
  #maxSequence = 0;
  /** Wraps of the sequence number, times 65536. */
  #cycles = 0;
  #received = 0;
  #expectedAtLastReport = 0;
  #receivedAtLastReport = 0;
  #jitter = 0;
  #lastArrivalMs = 0;
  #lastTimestamp = 0;
  #senderReport: (SenderReport & { arrivedAtMs: number }) | undefined;

  /** `clockRate`: of the RTP timestamps, from the SDP (90 kHz for video). */
  constructor(clockRate: number) {
    this.#clockRate = clockRate;
  }

  /**
   * Every RTP packet of the track as it arrives. `counted`: whether it was used; duplicates and
   * packets that came too late are not, so they count as lost, as they were for the picture.
   */
  arrived(packet: ArrivingPacket, arrivedAtMs: number, counted: boolean): void {
    if (packet.ssrc !== this.#ssrc) {
      // A new source (the first, or the camera restarted its stream): its numbering starts afresh.
      this.#ssrc = packet.ssrc;
      this.#baseSequence = this.#maxSequence = packet.sequence;
      this.#cycles = this.#received = this.#expectedAtLastReport = this.#receivedAtLastReport = this.#jitter = 0;
    } else {
      const ahead = (packet.sequence - this.#maxSequence) & 0xffff;
      if (ahead !== 0 && ahead < 0x8000) {
        if (packet.sequence < this.#maxSequence) this.#cycles += 0x10000;
        this.#maxSequence = packet.sequence;
      }
      // §A.8, with differences taken directly rather than as transit times: the same value, and no
      // need for an arrival clock in RTP units that would outgrow a double's precision.
      const arrivalStep = ((arrivedAtMs - this.#lastArrivalMs) * this.#clockRate) / 1000;
      const timestampStep = (packet.timestamp - this.#lastTimestamp) | 0;
      this.#jitter += (Math.abs(arrivalStep - timestampStep) - this.#jitter) / 16;
    }
    this.#lastArrivalMs = arrivedAtMs;
    this.#lastTimestamp = packet.timestamp;
    if (counted) this.#received++;
  }

  senderReport(report: SenderReport, arrivedAtMs: number): void {
    this.#senderReport = { ...report, arrivedAtMs };
  }

  /** The block for the next receiver report; starts the next interval for `fractionLost`. */
  report(nowMs: number): ReportBlock | undefined {
    if (this.#ssrc === undefined) return undefined;
    const extendedHighestSequence = this.#cycles + this.#maxSequence;
    const expected = extendedHighestSequence - this.#baseSequence + 1;
    const expectedInInterval = expected - this.#expectedAtLastReport;
    const lostInInterval = expectedInInterval - (this.#received - this.#receivedAtLastReport);
    this.#expectedAtLastReport = expected;
    this.#receivedAtLastReport = this.#received;
    // Echoed only if it came from the source reported on.
    const sr = this.#senderReport?.ssrc === this.#ssrc ? this.#senderReport : undefined;
    return {
      ssrc: this.#ssrc,
      // At most 255: all of them lost would be 256, which does not fit the 8 bits.
      fractionLost: expectedInInterval === 0 || lostInInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInInterval * 256) / expectedInInterval)),
      cumulativeLost: expected - this.#received,
      extendedHighestSequence,
      jitter: Math.floor(this.#jitter),
      lastSenderReport: sr?.ntpMiddle ?? 0,
      delaySinceLastSenderReport: sr ? Math.round(((nowMs - sr.arrivedAtMs) * 65536) / 1000) : 0,
    };
  }
}
