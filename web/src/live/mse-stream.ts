// Plays a fragmented MP4 stream from the recorder (live or playback) in a <video> through Media
// Source Extensions: fetch with the session cookie, then append each chunk as it arrives.

export type StreamEnd =
  | { kind: 'ended' }
  /** The browser has no decoder for the stream's codec. */
  | { kind: 'unsupported'; mimeType: string; h265: boolean }
  | { kind: 'failed'; status: number; message: string };

export interface StreamOptions {
  /** Live: stay within about a second of the newest frame, and keep only the last seconds buffered. */
  live: boolean;
  /** Playback: stop reading while this much is buffered ahead of the playhead (MSE buffers are small). */
  maxAheadSeconds?: number;
  /**
   * The response's headers, once they are in (the playback origin is one); may answer where to
   * start, in seconds of media time (else where the video starts).
   */
  onStart?: (headers: Headers) => number | void;
  onEnd: (end: StreamEnd) => void;
}

/** Live view keeps this little behind the newest frame: the latency budget is a second. */
const LIVE_EDGE_SECONDS = 0.15;
const LIVE_MAX_BEHIND_SECONDS = 0.5;
/** Older live video is removed from the buffer: memory stays bounded however long one watches. */
const LIVE_KEEP_SECONDS = 10;

const isH265 = (mimeType: string) => /codecs="?(hvc1|hev1)/.test(mimeType);

/** Starts the stream; the returned function stops it (and ends nothing else). */
export function playStream(video: HTMLVideoElement, url: string, options: StreamOptions): () => void {
  const abort = new AbortController();
  let stopped = false;
  const end = (result: StreamEnd) => {
    if (!stopped) options.onEnd(result);
    stopped = true;
  };
  void run(video, url, options, abort.signal).then(end, (err: unknown) => end({ kind: 'failed', status: 0, message: err instanceof Error ? err.message : String(err) }));
  return () => {
    stopped = true;
    abort.abort();
    video.removeAttribute('src');
    video.load();
  };
}

async function run(video: HTMLVideoElement, url: string, options: StreamOptions, signal: AbortSignal): Promise<StreamEnd> {
  const response = await fetch(url, { credentials: 'same-origin', signal });
  if (!response.ok) return { kind: 'failed', status: response.status, message: await errorMessage(response) };
  const mimeType = response.headers.get('content-type') ?? '';
  if (!window.MediaSource || !MediaSource.isTypeSupported(mimeType)) {
    await response.body?.cancel();
    return { kind: 'unsupported', mimeType, h265: isH265(mimeType) };
  }
  const startAt = options.onStart?.(response.headers) ?? 0;
  const source = new MediaSource();
  video.src = URL.createObjectURL(source);
  await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
  const buffer = source.addSourceBuffer(mimeType);
  const reader = response.body!.getReader();
  let started = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done || signal.aborted) break;
    await append(buffer, value);
    if (!started && buffer.buffered.length > 0) {
      started = true;
      // A live stream's timeline starts where the camera's did, not at 0; seek once there is something to
      // seek in. Live starts at the newest frame, not at the keyframe the recorder sent first: those
      // frames are there only so the decoder can build the newest one.
      video.currentTime = options.live ? liveEdge(buffer) : Math.max(startAt, buffer.buffered.start(0));
      void video.play().catch(() => undefined); // muted autoplay is allowed; a refusal leaves the controls to the user
    }
    if (options.live) await keepLive(video, buffer);
    else if (options.maxAheadSeconds !== undefined) await waitWhileAhead(video, buffer, options.maxAheadSeconds, signal);
  }
  if (source.readyState === 'open' && !buffer.updating) source.endOfStream();
  return { kind: 'ended' };
}

function append(buffer: SourceBuffer, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    buffer.addEventListener('updateend', () => resolve(), { once: true });
    buffer.addEventListener('error', () => reject(new Error('the browser could not decode the stream')), { once: true });
    buffer.appendBuffer(chunk as Uint8Array<ArrayBuffer>);
  });
}

/** Where live playback should be: a little behind the newest frame received. */
function liveEdge(buffer: SourceBuffer): number {
  const newest = buffer.buffered.end(buffer.buffered.length - 1);
  return Math.max(buffer.buffered.start(0), newest - LIVE_EDGE_SECONDS);
}

async function keepLive(video: HTMLVideoElement, buffer: SourceBuffer): Promise<void> {
  if (buffer.buffered.length === 0) return;
  if (liveEdge(buffer) - video.currentTime > LIVE_MAX_BEHIND_SECONDS - LIVE_EDGE_SECONDS) video.currentTime = liveEdge(buffer);
  const oldest = buffer.buffered.start(0);
  if (video.currentTime - oldest > 2 * LIVE_KEEP_SECONDS) {
    await new Promise<void>((resolve) => {
      buffer.addEventListener('updateend', () => resolve(), { once: true });
      buffer.remove(oldest, video.currentTime - LIVE_KEEP_SECONDS);
    });
  }
}

async function waitWhileAhead(video: HTMLVideoElement, buffer: SourceBuffer, maxAheadSeconds: number, signal: AbortSignal): Promise<void> {
  const ahead = () => (buffer.buffered.length > 0 ? buffer.buffered.end(buffer.buffered.length - 1) - video.currentTime : 0);
  while (ahead() > maxAheadSeconds && !signal.aborted) {
    await new Promise((resolve) => video.addEventListener('timeupdate', resolve, { once: true }));
  }
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `The recorder answered ${response.status}.`;
  } catch {
    return `The recorder answered ${response.status}.`;
  }
}
