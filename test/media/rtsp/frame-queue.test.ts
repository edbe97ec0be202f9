import { describe, expect, it } from 'vitest';
import { FrameQueue } from '../../../src/media/rtsp/frame-queue.js';
import type { AccessUnit } from '../../../src/media/types.js';

const frame = (pts90k: number, keyframe = false): AccessUnit => ({ codec: 'h264', nalus: [Buffer.from([0x65])], pts90k, keyframe, receivedAt: 0 });

async function drain(queue: FrameQueue): Promise<{ pts: number[]; error?: unknown }> {
  const pts: number[] = [];
  try {
    for await (const f of queue.frames()) pts.push(f.pts90k);
    return { pts };
  } catch (error) {
    return { pts, error };
  }
}

describe('FrameQueue', () => {
  it('hands out frames pushed before and while iterating, and ends at end()', async () => {
    const queue = new FrameQueue(10);
    queue.push(frame(1, true));
    const seen: number[] = [];
    for await (const f of queue.frames()) {
      seen.push(f.pts90k);
      if (f.pts90k < 3) queue.push(frame(f.pts90k + 1));
      else queue.end();
    }
    expect(seen).toEqual([1, 2, 3]);
  });

  it('drops what is still queued at end(), but hands it out before a failure', async () => {
    const closed = new FrameQueue(10);
    [1, 2].forEach((pts) => closed.push(frame(pts)));
    closed.end();
    expect(await drain(closed)).toEqual({ pts: [] });

    const failed = new FrameQueue(10);
    [1, 2].forEach((pts) => failed.push(frame(pts)));
    failed.fail(new Error('camera gone'));
    expect(await drain(failed)).toEqual({ pts: [1, 2], error: new Error('camera gone') });
  });

  it('drops the backlog up to the next keyframe when the consumer falls behind', async () => {
    const queue = new FrameQueue(3);
    [frame(1, true), frame(2), frame(3), frame(4), frame(5), frame(6, true), frame(7)].forEach((f) => queue.push(f));
    queue.fail(new Error('stop'));
    expect((await drain(queue)).pts).toEqual([6, 7]);
    expect(queue.dropped).toBe(5);
  });

  it('has one consumer', async () => {
    const queue = new FrameQueue(3);
    void queue.frames().next();
    await expect(queue.frames().next()).rejects.toThrow(/one consumer/);
  });
});
