/**
 * Reading the bit fields of H.264/H.265 parameter sets (RBSP): exp-Golomb codes and fixed-width
 * fields, after the emulation-prevention bytes are removed.
 */

/**
 * The RBSP of a NAL unit: every 0x03 that follows two zero bytes was inserted by the encoder so
 * that the payload never looks like a start code, and is not part of the data.
 */
export function removeEmulationPrevention(nalu: Buffer): Buffer {
  const out = Buffer.alloc(nalu.length);
  let length = 0;
  let zeros = 0;
  for (const byte of nalu) {
    if (zeros >= 2 && byte === 0x03) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out[length++] = byte;
  }
  return out.subarray(0, length);
}

export class BitReader {
  #bit = 0;
  constructor(private readonly data: Buffer) {}

  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.data[this.#bit >> 3];
      if (byte === undefined) throw new RangeError('parameter set ends early');
      value = value * 2 + ((byte >> (7 - (this.#bit & 7))) & 1);
      this.#bit++;
    }
    return value;
  }

  flag(): boolean {
    return this.bits(1) === 1;
  }

  skip(count: number): void {
    this.bits(count);
  }

  /** ue(v): unsigned exp-Golomb. */
  ue(): number {
    let leadingZeros = 0;
    while (this.bits(1) === 0) {
      if (++leadingZeros > 31) throw new RangeError('exp-Golomb code too long');
    }
    return 2 ** leadingZeros - 1 + this.bits(leadingZeros);
  }

  /** se(v): signed exp-Golomb. */
  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }
}
