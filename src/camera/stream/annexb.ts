/**
 * Splits an Annex B byte stream (NAL units behind 00 00 01 or 00 00 00 01 start codes, as ffmpeg's
 * raw h264/hevc muxers write it) into NAL units. Pure and incremental: feed chunks as they arrive.
 */
export class AnnexBSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Where the current NAL unit's payload starts in `pending`, once its start code was seen. */
  private nalStart = -1;
  /** Scanning resumes here: everything before was searched already. */
  private scanFrom = 0;

  /** Returns the NAL units that ended in this chunk (a NAL unit ends where the next start code begins). */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const nalus: Buffer[] = [];
    for (;;) {
      const codeAt = this.pending.indexOf(START_CODE, this.scanFrom);
      if (codeAt < 0) break;
      if (this.nalStart >= 0) pushTrimmed(nalus, this.pending.subarray(this.nalStart, codeAt));
      this.nalStart = codeAt + START_CODE.length;
      this.scanFrom = this.nalStart;
    }
    // Keep only the unfinished NAL unit; the last two bytes may begin a start code split across chunks.
    if (this.nalStart >= 0) {
      this.pending = this.pending.subarray(this.nalStart);
      this.nalStart = 0;
    }
    this.scanFrom = Math.max(this.nalStart, this.pending.length - (START_CODE.length - 1));
    return nalus;
  }

  /** The last NAL unit, once the stream has ended. */
  end(): Buffer[] {
    const nalus: Buffer[] = [];
    if (this.nalStart >= 0) pushTrimmed(nalus, this.pending.subarray(this.nalStart));
    this.pending = Buffer.alloc(0);
    this.nalStart = -1;
    this.scanFrom = 0;
    return nalus;
  }
}

const START_CODE = Buffer.from([0, 0, 1]);

/** Drops the zero bytes between a NAL unit and the next start code (the first byte of a 4-byte code, or trailing_zero_8bits). */
function pushTrimmed(nalus: Buffer[], nal: Buffer): void {
  let end = nal.length;
  while (end > 0 && nal[end - 1] === 0) end--;
  if (end > 0) nalus.push(nal.subarray(0, end));
}
