/**
 * Puts RTP packets back in sequence-number order (16-bit, wrapping at 65536) before they are
 * depacketized. UDP may reorder or repeat packets; TCP does neither, and uses a window of 0.
 *
 * A packet after a gap is held until the gap fills, or until the window runs out: then the missing
 * packets are given up as lost and the depacketizer is told (it drops the damaged frame). Packets
 * older than the one expected next (duplicates, or ones given up already) are discarded.
 *
 * Pure: arrival times are passed in, so a gap is only given up when a later packet arrives. A camera
 * that stops right after a gap leaves the held packets waiting, which costs nothing: nothing else
 * would come out of the stream either, and its watchdog ends it.
 */

export interface ReorderWindow {
  /** Packets held at most while waiting for a gap to fill. */
  packets: number;
  /** And for at most this long, from the arrival of the oldest held packet. */
  ms: number;
}

/**
 * For UDP. Reordering on a LAN or Wi-Fi displaces packets by a few positions within milliseconds
 * (multi-queue NICs, link-layer retransmits), so 50 ms catches it while adding at most 50 ms of
 * latency, and only after a loss. 128 packets (~180 KB) bounds memory during a keyframe's burst.
 */
export const UDP_REORDER_WINDOW: ReorderWindow = { packets: 128, ms: 50 };
/** For TCP: a gap is a loss at once (the camera never sent those packets). */
export const NO_REORDERING: ReorderWindow = { packets: 0, ms: 0 };

interface Held<T> {
  item: T;
  arrivedAt: number;
}

export class ReorderBuffer<T> {
  readonly #window: ReorderWindow;
  readonly #emit: (item: T, lostBefore: number) => void;
  readonly #held = new Map<number, Held<T>>();
  #next: number | undefined;
  /** Packets given up on. */
  lost = 0;
  /** Duplicates and packets that came after their turn. */
  discarded = 0;

  /** `emit` gets the packets in order, each with the number of packets given up just before it. */
  constructor(window: ReorderWindow, emit: (item: T, lostBefore: number) => void) {
    this.#window = window;
    this.#emit = emit;
  }

  /** Takes a packet; false if it was discarded (a duplicate, or too late). */
  push(sequence: number, item: T, arrivedAt: number): boolean {
    const taken = this.#take(sequence, item, arrivedAt);
    // Any arrival, even a discarded one, tells the time: a gap may have waited long enough.
    while (this.#held.size > 0 && this.#windowExceeded(arrivedAt)) this.#giveUpGap();
    return taken;
  }

  #take(sequence: number, item: T, arrivedAt: number): boolean {
    this.#next ??= sequence;
    // More than half the sequence space ahead means behind.
    if (this.#distance(sequence) >= 0x8000 || this.#held.has(sequence)) {
      this.discarded++;
      return false;
    }
    if (sequence === this.#next && this.#held.size === 0) {
      // The usual case, without the map.
      this.#next = (sequence + 1) & 0xffff;
      this.#emit(item, 0);
      return true;
    }
    this.#held.set(sequence, { item, arrivedAt });
    this.#release(0);
    return true;
  }

  /** How far ahead of the packet expected next `sequence` is, modulo 65536. */
  #distance(sequence: number): number {
    return (sequence - this.#next!) & 0xffff;
  }

  /** Emits the held packets that follow on from the expected one, the first after `lostBefore` lost ones. */
  #release(lostBefore: number): void {
    let lost = lostBefore;
    for (let held = this.#held.get(this.#next!); held; held = this.#held.get(this.#next!)) {
      this.#held.delete(this.#next!);
      this.#next = (this.#next! + 1) & 0xffff;
      this.#emit(held.item, lost);
      lost = 0;
    }
  }

  #windowExceeded(now: number): boolean {
    if (this.#held.size > this.#window.packets) return true;
    let oldest = now;
    for (const held of this.#held.values()) oldest = Math.min(oldest, held.arrivedAt);
    return now - oldest > this.#window.ms;
  }

  /** Gives up the packets missing before the first held one, and moves on to it. */
  #giveUpGap(): void {
    let gap = 0x10000;
    for (const sequence of this.#held.keys()) gap = Math.min(gap, this.#distance(sequence));
    this.lost += gap;
    this.#next = (this.#next! + gap) & 0xffff;
    this.#release(gap);
  }
}
