import { describe, expect, it } from 'vitest';
import { RtspError } from '../../../src/media/rtsp/errors.js';
import { firstVideoTrack, parseSdp } from '../../../src/media/rtsp/sdp.js';

// Shaped like a Hikvision answer: absolute controls with a query, spaces after ";" in fmtp, audio too.
const HIKVISION_LIKE = [
  'v=0',
  'o=- 1109162014219182 1109162014219192 IN IP4 192.168.1.64',
  's=Media Presentation',
  'e=NONE',
  'b=AS:5050',
  't=0 0',
  'a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast',
  'm=video 0 RTP/AVP 96',
  'c=IN IP4 0.0.0.0',
  'b=AS:5000',
  'a=recvonly',
  'a=x-dimensions:1920,1080',
  'a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast',
  'a=rtpmap:96 H264/90000',
  'a=fmtp:96 profile-level-id=420029; packetization-mode=1; sprop-parameter-sets=Z00AKpY1QPAET8s3AQEBAg==,aO48gA==',
  'm=audio 0 RTP/AVP 8',
  'c=IN IP4 0.0.0.0',
  'a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast',
  'a=rtpmap:8 PCMA/8000',
  '',
].join('\r\n');

// Shaped like a Dahua H.265 answer: relative controls, audio first, sprop-* in a different order.
const DAHUA_LIKE = [
  'v=0',
  'o=- 2251938210 2251938210 IN IP4 0.0.0.0',
  's=Media Server',
  'c=IN IP4 0.0.0.0',
  't=0 0',
  'a=control:*',
  'a=range:npt=now-',
  'm=audio 0 RTP/AVP 0',
  'a=control:trackID=1',
  'a=rtpmap:0 PCMU/8000',
  'm=video 0 RTP/AVP 98',
  'a=control:trackID=0',
  'a=framerate:25.000000',
  'a=rtpmap:98 H265/90000',
  'a=fmtp:98 profile-id=1;sprop-sps=QgEBAWAAAAMAsAAAAwAAAwB7oAPAgBDlja5JMvTcBAQEAg==;sprop-pps=RAHA8vA8kAA=;sprop-vps=QAEMAf//AWAAAAMAsAAAAwAAAwB7rAk=',
  'a=recvonly',
].join('\n');

describe('parseSdp', () => {
  it('reads media sections, rtpmap, fmtp and controls at session and media level', () => {
    const sdp = parseSdp(HIKVISION_LIKE);
    expect(sdp.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast');
    expect(sdp.media.map((m) => [m.type, m.formats])).toEqual([['video', [96]], ['audio', [8]]]);
    expect(sdp.media[0]!.rtpmap.get(96)).toEqual({ encoding: 'H264', clockRate: 90000 });
    expect(sdp.media[0]!.fmtp.get(96)?.get('packetization-mode')).toBe('1');
    expect(sdp.media[1]!.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast');
  });
});

describe('firstVideoTrack', () => {
  it('finds H.264 with its SPS and PPS from sprop-parameter-sets', () => {
    const track = firstVideoTrack(parseSdp(HIKVISION_LIKE));
    expect(track.codec).toBe('h264');
    expect(track.payloadType).toBe(96);
    expect(track.control).toBe('rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast');
    expect(track.parameterSets.sps?.[0]! & 0x1f).toBe(7);
    expect(track.parameterSets.pps?.toString('base64')).toBe('aO48gA==');
  });

  it('finds H.265 after an audio track, with VPS, SPS and PPS', () => {
    const track = firstVideoTrack(parseSdp(DAHUA_LIKE));
    expect(track).toMatchObject({ codec: 'h265', payloadType: 98, control: 'trackID=0' });
    const types = [track.parameterSets.vps, track.parameterSets.sps, track.parameterSets.pps].map((nal) => (nal![0]! >> 1) & 0x3f);
    expect(types).toEqual([32, 33, 34]);
  });

  it('leaves parameter sets out when the camera only sends them in-band', () => {
    const track = firstVideoTrack(parseSdp('m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\n'));
    expect(track.parameterSets).toEqual({});
    expect(track.control).toBeUndefined();
  });

  it('says what the camera sends when it is neither H.264 nor H.265', () => {
    const mjpeg = parseSdp('m=video 0 RTP/AVP 26\r\na=control:track1\r\n');
    const error = catchError(() => firstVideoTrack(mjpeg));
    expect(error).toMatchObject({ kind: 'unsupported' });
    expect(error.message).toContain('payload type 26');
    expect(catchError(() => firstVideoTrack(parseSdp('m=audio 0 RTP/AVP 0\r\n'))).message).toContain('no video track');
  });
});

function catchError(action: () => unknown): RtspError {
  try {
    action();
  } catch (error) {
    if (error instanceof RtspError) return error;
    throw error;
  }
  throw new Error('expected an RtspError');
}
