import { describe, expect, it } from 'vitest';
import { ReceptionStats } from '../../../src/media/rtsp/reception-stats.js';

const CAMERA = 0x1234;

describe('ReceptionStats', () => {
  it('reports losses, the extended highest sequence number across the wrap, jitter, and the last SR (hand-computed)', () => {
    const stats = new ReceptionStats(90_000);
    expect(stats.report(0)).toBeUndefined();
    // 40 ms frames (3600 ticks). Sequence 1 never comes; 2 comes twice.
    stats.arrived({ ssrc: CAMERA, sequence: 65534, timestamp: 0 }, 1000, true);
    stats.arrived({ ssrc: CAMERA, sequence: 65535, timestamp: 3600 }, 1040, true); // on time: D = 0
    stats.arrived({ ssrc: CAMERA, sequence: 0, timestamp: 7200 }, 1090, true); // 10 ms late: |D| = 900, J = 900/16 = 56.25
    stats.senderReport({ ssrc: CAMERA, ntpMiddle: 0x1111_2222 }, 1100);
    stats.arrived({ ssrc: CAMERA, sequence: 2, timestamp: 14400 }, 1160, true); // 10 ms early: J = 56.25 + (900 - 56.25)/16 = 108.98
    stats.arrived({ ssrc: CAMERA, sequence: 2, timestamp: 14400 }, 1160, false); // duplicate: D = 0, J = 108.98 * 15/16 = 102.17
    expect(stats.report(2600)).toEqual({
      ssrc: CAMERA,
      // Expected 65534..65538 (5), received 4.
      fractionLost: 51, // floor(1 * 256 / 5)
      cumulativeLost: 1,
      extendedHighestSequence: 0x1_0002,
      jitter: 102,
      lastSenderReport: 0x1111_2222,
      delaySinceLastSenderReport: 0x1_8000, // 1.5 s in 1/65536 s
    });
    // Nothing new since: no loss in this interval, the total stays.
    expect(stats.report(3000)).toMatchObject({ fractionLost: 0, cumulativeLost: 1, extendedHighestSequence: 0x1_0002 });
    // A too-late packet (not counted) is lost as far as the report goes.
    stats.arrived({ ssrc: CAMERA, sequence: 3, timestamp: 18000 }, 1200, true);
    stats.arrived({ ssrc: CAMERA, sequence: 4, timestamp: 21600 }, 1240, false);
    expect(stats.report(3100)).toMatchObject({ fractionLost: 128, cumulativeLost: 2, extendedHighestSequence: 0x1_0004 });
  });

  it('starts afresh for a new SSRC, and echoes only sender reports of the source reported on', () => {
    const stats = new ReceptionStats(90_000);
    stats.senderReport({ ssrc: 99, ntpMiddle: 5 }, 0); // before any RTP: kept, but from someone else
    stats.arrived({ ssrc: CAMERA, sequence: 100, timestamp: 0 }, 0, true);
    stats.arrived({ ssrc: CAMERA, sequence: 110, timestamp: 3600 }, 40, true);
    expect(stats.report(50)).toMatchObject({ cumulativeLost: 9, lastSenderReport: 0, delaySinceLastSenderReport: 0 });
    stats.arrived({ ssrc: 0x5678, sequence: 7, timestamp: 0 }, 100, true);
    stats.senderReport({ ssrc: 0x5678, ntpMiddle: 6 }, 100);
    expect(stats.report(100)).toEqual({
      ssrc: 0x5678,
      fractionLost: 0,
      cumulativeLost: 0,
      extendedHighestSequence: 7,
      jitter: 0,
      lastSenderReport: 6,
      delaySinceLastSenderReport: 0,
    });
  });
});
