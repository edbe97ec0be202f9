import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playbackStream } from '../../../../src/recorder/media/recording/playback.js';
import { DEFAULT_LIMITS } from '../../../../src/recorder/media/recording/segment-plan.js';
import { launchBrowser } from '../../../helpers/browser.js';
import { accessUnits, clipFrames, parameterSetsOf, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';

// The playback stream in the browser it is for: real Chromium, Media Source Extensions. H.264
// only: Chromium on Linux has no H.265 decoder.
describe('playback in Chromium through MSE', () => {
  let browser: Browser;
  let f: ReturnType<typeof recordingFixture>;
  beforeAll(async () => {
    f = recordingFixture();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    f.cleanup();
  });

  it('buffers the range across two segments as one timeline, and seeks to a time in the second', async () => {
    const frames = await clipFrames('h264', SMALL_CLIP);
    const writer = f.writer({ limits: { ...DEFAULT_LIMITS, segment90k: 10 * 90_000 } });
    const start = Date.UTC(2026, 0, 1, 12);
    await f.feed(writer, accessUnits('h264', frames, { count: 15 * 25, startMs: start }), parameterSetsOf('h264', frames));
    await writer.close();
    const stream = playbackStream(f.paths.footage, f.store.listForCamera(7, start, start + 15_000), start + 3500, start + 11_000)!;
    const chunks: string[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk.toString('base64'));
    const seekTo = (start + 10_500 - stream.originMs) / 1000;

    const page = await browser.newPage();
    await page.setContent('<video muted></video>');
    const result = await page.evaluate(
      async ({ mimeType, chunks, seekTo }) => {
        const video = document.querySelector('video')!;
        const source = new MediaSource();
        video.src = URL.createObjectURL(source);
        await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
        const buffer = source.addSourceBuffer(mimeType);
        for (const chunk of chunks) {
          buffer.appendBuffer(Uint8Array.from(atob(chunk), (c) => c.charCodeAt(0)));
          await new Promise((resolve, reject) => {
            buffer.addEventListener('updateend', resolve, { once: true });
            buffer.addEventListener('error', reject, { once: true });
          });
        }
        source.endOfStream();
        video.currentTime = seekTo;
        await new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
        return {
          buffered: Array.from({ length: buffer.buffered.length }, (_, i) => [buffer.buffered.start(i), buffer.buffered.end(i)]),
          currentTime: video.currentTime,
          readyState: video.readyState,
          width: video.videoWidth,
          error: video.error?.message ?? null,
        };
      },
      { mimeType: stream.mimeType, chunks, seekTo },
    );
    expect(stream.originMs).toBe(start + 3000);
    expect(result.error).toBeNull();
    expect(result.buffered).toHaveLength(1);
    expect(result.buffered[0]![0]).toBeCloseTo(0, 3);
    expect(result.buffered[0]![1]).toBeCloseTo(8, 1); // 3 s to 11 s
    expect(result.currentTime).toBeCloseTo(7.5, 3);
    expect(result.readyState).toBeGreaterThanOrEqual(2); // the frame at the seek target is decoded
    expect(result.width).toBe(320);
  });
});
