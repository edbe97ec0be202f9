import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDigestParams, REALM, RtspAuthenticator } from '../../../src/camera/stream/auth.js';
import { senderReport } from '../../../src/camera/stream/rtcp.js';
import { formatResponse, RtspProtocolError, RtspRequestParser } from '../../../src/camera/stream/rtsp-message.js';
import { sessionDescription } from '../../../src/camera/stream/sdp.js';
import { chooseTransport, transportResponse } from '../../../src/camera/stream/transport.js';

describe('RTSP messages', () => {
  it('parses requests split anywhere, with a body, and RTCP interleaved between them', () => {
    const wire = Buffer.concat([
      Buffer.from('OPTIONS rtsp://h/cam1 RTSP/1.0\r\nCSeq: 1\r\n\r\n'),
      Buffer.from([0x24, 1, 0, 3, 9, 8, 7]),
      Buffer.from('SET_PARAMETER rtsp://h/cam1 RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nhello'),
    ]);
    const parser = new RtspRequestParser();
    const inputs = [...wire].flatMap((byte) => parser.push(Buffer.from([byte])));
    expect(inputs.map((input) => (input.kind === 'request' ? `${input.request.method} ${input.request.headers.get('cseq')}` : `$${input.channel}`))).toEqual([
      'OPTIONS 1',
      '$1',
      'SET_PARAMETER 2',
    ]);
    const last = inputs[2]!;
    expect(last.kind === 'request' && last.request.body.toString()).toBe('hello');
  });

  it('refuses what is not RTSP', () => {
    expect(() => new RtspRequestParser().push(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toThrow(RtspProtocolError);
  });

  it('echoes CSeq and counts the body', () => {
    expect(formatResponse('7', { status: 200, headers: { Public: 'OPTIONS' }, body: 'v=0\r\n' })).toBe(
      'RTSP/1.0 200 OK\r\nCSeq: 7\r\nServer: Vigil simulated camera\r\nPublic: OPTIONS\r\nContent-Length: 5\r\n\r\nv=0\r\n',
    );
  });
});

describe('Transport header', () => {
  it('takes the first transport offered that the server supports', () => {
    expect(chooseTransport('RTP/AVP/TCP;unicast;interleaved=0-1')).toEqual({ kind: 'tcp', rtpChannel: 0, rtcpChannel: 1 });
    expect(chooseTransport('RTP/AVP;multicast;port=5000-5001, RTP/AVP;unicast;client_port=6970-6971')).toEqual({
      kind: 'udp',
      rtpPort: 6970,
      rtcpPort: 6971,
    });
    expect(chooseTransport('RTP/AVP;multicast')).toBeUndefined();
    expect(chooseTransport('RTP/AVP;unicast')).toBeUndefined();
  });

  it('answers with the server port pair and the SSRC', () => {
    expect(transportResponse({ kind: 'udp', rtpPort: 6970, rtcpPort: 6971 }, 0xab, { rtp: 30000, rtcp: 30001 })).toBe(
      'RTP/AVP;unicast;client_port=6970-6971;server_port=30000-30001;ssrc=000000AB',
    );
  });
});

describe('SDP', () => {
  it('describes H.264 with profile-level-id and sprop-parameter-sets, H.265 with sprop-vps/sps/pps', () => {
    const sps = Buffer.from('6742c01fda', 'hex');
    const pps = Buffer.from('68ce3c80', 'hex');
    const h264 = sessionDescription({ name: 'cam1', serverAddress: '127.0.0.1', parameterSets: { codec: 'h264', sps, pps }, fps: 25 });
    expect(h264).toContain('a=rtpmap:96 H264/90000\r\n');
    expect(h264).toContain(`a=fmtp:96 packetization-mode=1;profile-level-id=42C01F;sprop-parameter-sets=${sps.toString('base64')},${pps.toString('base64')}\r\n`);
    expect(h264).toContain('a=control:trackID=0\r\n');
    const vps = Buffer.from('40010c01', 'hex');
    const h265 = sessionDescription({ name: 'cam1', serverAddress: '::1', parameterSets: { codec: 'h265', vps, sps, pps }, fps: 25 });
    expect(h265).toContain('a=rtpmap:96 H265/90000\r\n');
    expect(h265).toContain(`sprop-vps=${vps.toString('base64')};sprop-sps=`);
    expect(h265).toContain('o=- 0 0 IN IP6 ::1\r\n');
  });
});

describe('camera authentication', () => {
  const md5 = (text: string) => createHash('md5').update(text).digest('hex');

  it('accepts the right Digest response to its own nonce, and nothing else', () => {
    const auth = new RtspAuthenticator({ username: 'admin', password: 'pw', scheme: 'digest' });
    const nonce = parseDigestParams(auth.challenge().slice('Digest '.length)).get('nonce')!;
    const uri = 'rtsp://127.0.0.1:8554/cam1';
    const header = (password: string, withNonce = nonce) =>
      `Digest username="admin", realm="${REALM}", nonce="${withNonce}", uri="${uri}", response="${md5(
        `${md5(`admin:${REALM}:${password}`)}:${withNonce}:${md5(`DESCRIBE:${uri}`)}`,
      )}"`;
    expect(auth.verify('DESCRIBE', header('pw'))).toBe(true);
    expect(auth.verify('DESCRIBE', header('wrong'))).toBe(false);
    expect(auth.verify('DESCRIBE', header('pw', 'f'.repeat(48)))).toBe(false); // a nonce it never issued
    expect(auth.verify('SETUP', header('pw'))).toBe(false);
    expect(auth.verify('DESCRIBE', `Basic ${Buffer.from('admin:pw').toString('base64')}`)).toBe(false);
  });

  it('accepts Basic when configured for it', () => {
    const auth = new RtspAuthenticator({ username: 'admin', password: 'pw', scheme: 'basic' });
    expect(auth.challenge()).toBe(`Basic realm="${REALM}"`);
    expect(auth.verify('DESCRIBE', `Basic ${Buffer.from('admin:pw').toString('base64')}`)).toBe(true);
    expect(auth.verify('DESCRIBE', `Basic ${Buffer.from('admin:px').toString('base64')}`)).toBe(false);
    expect(auth.verify('DESCRIBE', undefined)).toBe(false);
  });
});

describe('RTCP sender report', () => {
  it('maps the RTP timestamp to NTP time, with counts, followed by an SDES CNAME', () => {
    const report = senderReport({ ssrc: 1, wallClockMs: 1_500, rtpTimestamp: 90_000, packetCount: 10, octetCount: 12_000, cname: 'cam' });
    expect(report[1]).toBe(200);
    expect(report.readUInt32BE(8)).toBe(2_208_988_801); // 1.5 s after 1970, in seconds since 1900
    expect(report.readUInt32BE(12)).toBe(2 ** 31); // and a half
    expect(report.readUInt32BE(16)).toBe(90_000);
    expect([report.readUInt32BE(20), report.readUInt32BE(24)]).toEqual([10, 12_000]);
    expect(report[28 + 1]).toBe(202);
    expect(report.subarray(28 + 10, 28 + 13).toString()).toBe('cam');
    expect(report.length % 4).toBe(0);
  });
});
