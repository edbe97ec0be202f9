// What a camera's own stream measures, once per connection, as the probe the cameras page shows.
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../../src/recorder/db/camera-store.js';
import { streamProbeSink } from '../../../../src/recorder/media/cameras/stream-probe-sink.js';
import type { AccessUnit } from '../../../../src/media/types.js';

/** A 25 fps frame of `bytes` bytes at frame number n. */
const frame = (n: number, bytes = 1_000): AccessUnit => ({ codec: 'h264', nalus: [Buffer.alloc(bytes)], pts90k: n * 3_600, keyframe: n % 25 === 0, receivedAt: n * 40 });

describe('streamProbeSink', () => {
  it('saves codec, frame rate and bitrate after two seconds of frames, once per connection', () => {
    const saved: ProbeResult[] = [];
    const sink = streamProbeSink((result) => saved.push(result));
    for (let n = 0; n < 50; n++) sink.onFrame(frame(n), undefined);
    expect(saved).toEqual([]);
    for (let n = 50; n < 200; n++) sink.onFrame(frame(n), undefined);
    expect(saved).toEqual([{ codec: 'h264', fps: 25, bitrate: 200_000 }]);

    // Reconnected: the camera may now send something else.
    sink.onGap('lost');
    for (let n = 0; n < 60; n++) sink.onFrame(frame(n, 2_000), undefined);
    expect(saved).toEqual([
      { codec: 'h264', fps: 25, bitrate: 200_000 },
      { codec: 'h264', fps: 25, bitrate: 400_000 },
    ]);
  });

  it('starts its sample again when the stream breaks before it is complete', () => {
    const saved: ProbeResult[] = [];
    const sink = streamProbeSink((result) => saved.push(result));
    for (let n = 0; n < 30; n++) sink.onFrame(frame(n), undefined);
    sink.onGap('frozen');
    // Frames from the old connection would make the span two seconds with half the frames.
    for (let n = 1_000; n < 1_030; n++) sink.onFrame(frame(n), undefined);
    expect(saved).toEqual([]);
  });
});
