// The in-page half of the live latency benchmark: for every frame each live tile's <video> presents,
// read the time code strip from the picture and note how long ago it was captured. Runs in Chromium
// (through playwright's page.evaluate), so it is self-contained and only typed here.
import type { Page } from 'playwright-core';
import { readTimeCode, type TimeCodeLayout, type TimeCodeReading } from '../src/camera/stream/time-code.js';

/** One presented frame of one tile. */
export interface ProbeSample {
  /** When the browser expected to show the frame on screen (epoch ms). */
  shownAtMs: number;
  /** Shown minus captured, when the strip was read. */
  latencyMs?: number;
  misread?: 'no-strip' | 'unclear' | 'check';
  /** Video buffered past this frame, in ms: how far the player stays behind the newest frame it received. */
  bufferedAheadMs?: number;
  /** The same capture time as the frame before: the frame was presented again. */
  repeated?: boolean;
}

export interface TileProbe {
  /** The tile's data-testid (live-<camera id>). */
  tile: string;
  samples: ProbeSample[];
  /** Frames the video presented (its own count), against the samples taken: callbacks can skip frames. */
  presentedFrames: number;
}

// The few DOM types the probe touches: the benchmark compiles without the DOM library (it is Node code).
interface FrameMetadata {
  expectedDisplayTime: number;
  mediaTime: number;
  presentedFrames: number;
}
interface ProbeVideo {
  readyState: number;
  paused: boolean;
  buffered: { length: number; end(index: number): number };
  requestVideoFrameCallback(callback: (now: number, metadata: FrameMetadata) => void): number;
  closest(selector: string): { getAttribute(name: string): string | null } | null;
}
interface ProbeContext2D {
  drawImage(image: ProbeVideo, sx: number, sy: number, sw: number, sh: number, dx: number, dy: number, dw: number, dh: number): void;
  getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
}
interface ProbeWindow {
  document: {
    querySelectorAll(selector: string): ArrayLike<ProbeVideo>;
    createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d', options: { willReadFrequently: boolean }): ProbeContext2D | null };
  };
  performance: { timeOrigin: number };
  vigilReadTimeCode?: typeof readTimeCode;
  vigilLatencyProbes?: TileProbe[];
}

/** In the page: starts sampling every `.live-tile video` (they are playing). */
function startProbes(layout: TimeCodeLayout): number {
  const page = globalThis as unknown as ProbeWindow;
  const read = page.vigilReadTimeCode!;
  const videos = Array.from(page.document.querySelectorAll('.live-tile video'));
  page.vigilLatencyProbes = videos.map((video) => {
    const probe: TileProbe = { tile: video.closest('.live-tile')?.getAttribute('data-testid') ?? '?', samples: [], presentedFrames: 0 };
    const canvas = page.document.createElement('canvas');
    canvas.width = layout.width;
    canvas.height = layout.height;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    let lastCaptureMs = 0;
    const onFrame = (_now: number, metadata: FrameMetadata) => {
      // Only the strip is copied out of the video, at its own resolution (the tile shows it smaller).
      context.drawImage(video, layout.x, layout.y, layout.width, layout.height, 0, 0, layout.width, layout.height);
      const shownAtMs = page.performance.timeOrigin + metadata.expectedDisplayTime;
      const bufferedAheadMs = video.buffered.length > 0 ? (video.buffered.end(video.buffered.length - 1) - metadata.mediaTime) * 1000 : undefined;
      const reading: TimeCodeReading = read({ data: context.getImageData(0, 0, layout.width, layout.height).data, channels: 4 }, layout, shownAtMs);
      if (reading.ok) {
        probe.samples.push({ shownAtMs, latencyMs: shownAtMs - reading.captureMs, repeated: reading.captureMs === lastCaptureMs, bufferedAheadMs });
        lastCaptureMs = reading.captureMs;
      } else {
        probe.samples.push({ shownAtMs, misread: reading.reason });
      }
      probe.presentedFrames = metadata.presentedFrames;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    return probe;
  });
  return videos.length;
}

/** Waits until the Live page shows `tiles` videos, all playing. */
export async function waitForPlayingTiles(page: Page, tiles: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const videos = Array.from((globalThis as unknown as ProbeWindow).document.querySelectorAll('.live-tile video'));
      return videos.length === n && videos.every((v) => v.readyState >= 2 && !v.paused);
    },
    tiles,
    { timeout: 30_000 },
  );
}

/**
 * Puts the time code reader into the page and starts sampling every live tile; resolves with how
 * many tiles are sampled. The reader goes in as source text, evaluated by the DevTools protocol (the
 * recorder's Content-Security-Policy forbids the page itself to eval).
 */
export async function installLatencyProbes(page: Page, layout: TimeCodeLayout): Promise<number> {
  await page.evaluate(`globalThis.vigilReadTimeCode = ${readTimeCode.toString()}`);
  return page.evaluate(startProbes, layout);
}

/** Every tile's samples so far. */
export function collectLatencyProbes(page: Page): Promise<TileProbe[]> {
  return page.evaluate(() => (globalThis as unknown as ProbeWindow).vigilLatencyProbes ?? []);
}
