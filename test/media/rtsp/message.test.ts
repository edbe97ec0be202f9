import { describe, expect, it } from 'vitest';
import { formatRequest, parsePortPair, parseSessionHeader, parseTransportHeader, RtspReader, type RtspResponse } from '../../../src/media/rtsp/message.js';
import { parseRtspUrl, redactUrl, resolveControl } from '../../../src/media/rtsp/url.js';

function reader(): { push(...chunks: Array<Buffer | string>): void; responses: RtspResponse[]; frames: Array<[number, string]> } {
  const responses: RtspResponse[] = [];
  const frames: Array<[number, string]> = [];
  const rtsp = new RtspReader({ response: (r) => responses.push(r), interleaved: (channel, data, start, end) => frames.push([channel, data.toString('hex', start, end)]) });
  return { responses, frames, push: (...chunks) => chunks.forEach((c) => rtsp.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : c)) };
}

const frame = (channel: number, hex: string): Buffer => Buffer.concat([Buffer.from([0x24, channel, 0, hex.length / 2]), Buffer.from(hex, 'hex')]);

describe('RtspReader', () => {
  it('splits responses with bodies and interleaved RTP and RTCP frames, however the chunks fall', () => {
    const describeAnswer = 'RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Base: rtsp://cam/s/\r\nContent-Length: 5\r\n\r\nv=0\r\n';
    const stream = Buffer.concat([Buffer.from(describeAnswer), frame(0, '80e00001'), frame(1, '80c8'), Buffer.from('\r\nRTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n'), frame(0, 'aabbcc')]);
    for (const size of [1, 3, 7, stream.length]) {
      const { push, responses, frames } = reader();
      for (let offset = 0; offset < stream.length; offset += size) push(stream.subarray(offset, offset + size));
      expect(responses.map((r) => [r.status, r.headers.get('cseq')?.[0], r.body.toString()])).toEqual([[200, '2', 'v=0\r\n'], [200, '3', '']]);
      expect(frames).toEqual([[0, '80e00001'], [1, '80c8'], [0, 'aabbcc']]);
    }
  });

  it('keeps repeated headers, and ignores requests the camera sends', () => {
    const { push, responses } = reader();
    push('SET_PARAMETER rtsp://client/ RTSP/1.0\r\nCSeq: 9\r\n\r\n', 'RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm="a", nonce="b"\r\nWWW-Authenticate: Basic realm="a"\r\n\r\n');
    expect(responses).toHaveLength(1);
    expect(responses[0]!.headers.get('www-authenticate')).toEqual(['Digest realm="a", nonce="b"', 'Basic realm="a"']);
  });

  it('throws a protocol error on what is not RTSP', () => {
    const { push } = reader();
    expect(() => push('HTTP/1.1 400 Bad Request\r\n\r\n')).toThrow(expect.objectContaining({ kind: 'protocol' }));
  });
});

describe('RTSP headers', () => {
  it('writes a request', () => {
    expect(formatRequest('OPTIONS', 'rtsp://cam/s', [['CSeq', '1']]).toString()).toBe('OPTIONS rtsp://cam/s RTSP/1.0\r\nCSeq: 1\r\n\r\n');
  });

  it('reads session ids with and without a timeout', () => {
    expect(parseSessionHeader('12345678;timeout=30')).toEqual({ id: '12345678', timeoutSeconds: 30 });
    expect(parseSessionHeader('ABCD; timeout = 5')).toEqual({ id: 'ABCD', timeoutSeconds: 5 });
    expect(parseSessionHeader('x9')).toEqual({ id: 'x9', timeoutSeconds: 60 });
  });

  it('reads the transport the camera chose', () => {
    const transport = parseTransportHeader('RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=1A2B3C4D;mode="PLAY"');
    expect(parsePortPair(transport.get('interleaved'))).toEqual([2, 3]);
    expect(parsePortPair(parseTransportHeader('RTP/AVP;unicast;client_port=5000-5001;server_port=6970').get('server_port'))).toEqual([6970, 6971]);
    expect(parsePortPair(undefined)).toBeUndefined();
  });
});

describe('camera URLs', () => {
  it('takes credentials out of the URL requests carry', () => {
    expect(parseRtspUrl('rtsp://admin:p%40ss@192.168.1.64/Streaming/Channels/101')).toEqual({
      host: '192.168.1.64',
      port: 554,
      url: 'rtsp://192.168.1.64/Streaming/Channels/101',
      username: 'admin',
      password: 'p@ss',
    });
    expect(parseRtspUrl('rtsp://[::1]:8554/cam')).toMatchObject({ host: '::1', port: 8554 });
    expect(redactUrl('rtsp://admin:secret@cam:554/s')).toBe('rtsp://cam:554/s');
  });

  it('refuses addresses that are not rtsp://', () => {
    expect(() => parseRtspUrl('http://cam/')).toThrow(expect.objectContaining({ kind: 'unsupported' }));
    expect(() => parseRtspUrl('not a url')).toThrow(expect.objectContaining({ kind: 'unsupported' }));
  });

  it('resolves controls: absolute as they are, relative appended to the base with one slash', () => {
    expect(resolveControl('rtsp://cam/s', 'trackID=1')).toBe('rtsp://cam/s/trackID=1');
    expect(resolveControl('rtsp://cam/s/', 'trackID=1')).toBe('rtsp://cam/s/trackID=1');
    expect(resolveControl('rtsp://cam/s/', 'rtsp://cam/other/track1')).toBe('rtsp://cam/other/track1');
    expect(resolveControl('rtsp://cam/s/', '*')).toBe('rtsp://cam/s/');
    expect(resolveControl('rtsp://cam/s', undefined)).toBe('rtsp://cam/s');
  });
});
