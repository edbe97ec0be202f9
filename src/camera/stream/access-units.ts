import type { VideoCodec } from '../../media/types.js';
import { nalInfo } from './nal.js';
import { AnnexBSplitter } from './annexb.js';

/** One encoded picture with the NAL units that come with it (parameter sets, SEI). */
export interface EncodedFrame {
  nalus: Buffer[];
  keyframe: boolean;
}

/**
 * Groups NAL units into access units (frames). An encoder's byte stream marks no frame ends, so a
 * frame is known complete only when the next one starts: its first slice, or a NAL unit that only
 * ever precedes a picture. Access unit delimiters are dropped (RTP needs none). Pure.
 */
export class AccessUnitAssembler {
  private nalus: Buffer[] = [];
  private hasPicture = false;
  private keyframe = false;

  constructor(private readonly codec: VideoCodec) {}

  /** Returns the previous frame when this NAL unit begins a new one. */
  push(nal: Buffer): EncodedFrame | undefined {
    const info = nalInfo(this.codec, nal);
    const complete = this.hasPicture && (info.startsAccessUnit || info.firstSliceOfPicture) ? this.take() : undefined;
    if (!info.delimiter) this.nalus.push(nal);
    if (info.vcl) this.hasPicture = true;
    if (info.keyframe) this.keyframe = true;
    return complete;
  }

  /** The last frame, once the stream has ended. */
  end(): EncodedFrame | undefined {
    return this.hasPicture ? this.take() : undefined;
  }

  private take(): EncodedFrame {
    const frame = { nalus: this.nalus, keyframe: this.keyframe };
    this.nalus = [];
    this.hasPicture = false;
    this.keyframe = false;
    return frame;
  }
}

/** An Annex B byte stream in, frames out: the splitter and the assembler together. Pure. */
export class AnnexBFrameReader {
  private readonly splitter = new AnnexBSplitter();
  private readonly assembler: AccessUnitAssembler;

  constructor(codec: VideoCodec) {
    this.assembler = new AccessUnitAssembler(codec);
  }

  push(chunk: Buffer): EncodedFrame[] {
    return this.assemble(this.splitter.push(chunk));
  }

  end(): EncodedFrame[] {
    const frames = this.assemble(this.splitter.end());
    const last = this.assembler.end();
    return last ? [...frames, last] : frames;
  }

  private assemble(nalus: Buffer[]): EncodedFrame[] {
    const frames: EncodedFrame[] = [];
    for (const nal of nalus) {
      const frame = this.assembler.push(nal);
      if (frame) frames.push(frame);
    }
    return frames;
  }
}
