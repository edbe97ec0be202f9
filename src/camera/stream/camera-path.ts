import { FrameFanout, type FrameListener, type FrameSource } from './frame-source.js';

/**
 * One simulated camera: an RTSP path (/cam1) fed by a frame source that cameras may share. It can
 * be frozen (connections stay open, no more RTP or RTCP: a hung camera) or taken offline (its
 * clients are cut and it answers 503 until it is back), for tests of how a recorder copes.
 */
export class CameraPath {
  private readonly fanout = new FrameFanout();
  private readonly unsubscribe: () => void;
  frozen = false;
  offline = false;

  constructor(
    readonly name: string,
    readonly source: FrameSource,
  ) {
    this.unsubscribe = source.subscribe((frame) => {
      if (!this.frozen) this.fanout.emit(frame);
    });
  }

  subscribe(listener: FrameListener): () => void {
    return this.fanout.subscribe(listener);
  }

  close(): void {
    this.unsubscribe();
  }
}
