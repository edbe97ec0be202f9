// The floor of recording in a Node process, a baseline of `npm run bench -- record`: for each camera
// given, the RTSP handshake (OPTIONS, DESCRIBE, SETUP over TCP, PLAY), then the connection's bytes
// piped to a file as they come, parsed by nobody. Run as its own process:
//   node dist/bench/node-floor.js DIR URL...   (prints "ready" once every camera plays)
// It writes DIR/camN.rtp and prints "bytes N" (all cameras' bytes written) on SIGINT, then exits.
import { createWriteStream, type WriteStream } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { firstVideoTrack, parseSdp } from '../src/media/rtsp/sdp.js';
import { resolveControl } from '../src/media/rtsp/url.js';

interface Answer {
  headers: Map<string, string>;
  body: Buffer;
  /** What came after the answer: the first interleaved packets, once PLAY is answered. */
  rest: Buffer;
}

/** Reads one RTSP answer from `socket`, starting with the bytes already `held`. */
function readAnswer(socket: Socket, held: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let bytes = held;
    const tryParse = (): boolean => {
      const end = bytes.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const lines = bytes.subarray(0, end).toString('latin1').split('\r\n');
      if (!/^RTSP\/1\.0 200/.test(lines[0]!)) throw new Error(`the camera answered ${lines[0]}`);
      const headers = new Map(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers.get('content-length') ?? 0);
      if (bytes.length < end + 4 + length) return false;
      socket.off('data', onData);
      resolve({ headers, body: bytes.subarray(end + 4, end + 4 + length), rest: bytes.subarray(end + 4 + length) });
      return true;
    };
    const onData = (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      try {
        tryParse();
      } catch (error) {
        reject(error as Error);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    if (bytes.length > 0) onData(Buffer.alloc(0));
  });
}

/** Plays `url` over TCP and pipes everything after PLAY's answer into `file`. */
async function record(url: string, file: string): Promise<{ socket: Socket; out: WriteStream }> {
  const target = new URL(url);
  const socket = connect(Number(target.port || 554), target.hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let cseq = 0;
  let held: Buffer = Buffer.alloc(0);
  let session: string | undefined;
  const ask = async (method: string, at: string, extra = ''): Promise<Answer> => {
    socket.write(`${method} ${at} RTSP/1.0\r\nCSeq: ${++cseq}\r\n${session ? `Session: ${session}\r\n` : ''}${extra}\r\n`);
    const answer = await readAnswer(socket, held);
    held = answer.rest;
    return answer;
  };
  await ask('OPTIONS', url);
  const describe = await ask('DESCRIBE', url, 'Accept: application/sdp\r\n');
  const sdp = parseSdp(describe.body.toString('utf8'));
  const base = describe.headers.get('content-base') ?? url;
  const setup = await ask('SETUP', resolveControl(base, firstVideoTrack(sdp).control), 'Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n');
  const [id, timeout] = (setup.headers.get('session') ?? '').split(';');
  session = id;
  const played = await ask('PLAY', resolveControl(base, sdp.control), 'Range: npt=0.000-\r\n');
  const out = createWriteStream(file);
  out.write(played.rest);
  socket.pipe(out);
  // The session lives while the client asks something: the answers land in the file, a few bytes.
  const timeoutSeconds = Number(/timeout=(\d+)/.exec(timeout ?? '')?.[1] ?? 60);
  const playUrl = resolveControl(base, sdp.control);
  setInterval(() => socket.write(`GET_PARAMETER ${playUrl} RTSP/1.0\r\nCSeq: ${++cseq}\r\nSession: ${session}\r\n\r\n`), (timeoutSeconds * 1000) / 2).unref();
  return { socket, out };
}

const [dir, ...urls] = process.argv.slice(2);
const recordings = await Promise.all(urls.map((url, i) => record(url, join(dir!, `cam${i + 1}.rtp`))));
console.log('ready');
process.once('SIGINT', () => {
  console.log(`bytes ${recordings.reduce((sum, r) => sum + r.out.bytesWritten, 0)}`);
  process.exit(0);
});
