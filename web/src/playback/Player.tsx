import { useEffect, useRef, useState } from 'react';
import { playStream, type StreamEnd } from '../live/mse-stream.js';
import { timeOfDay } from './day.js';

/** One request streams this much at most; picking a time past it starts another. */
const REQUEST_SPAN_MS = 60 * 60_000;
/** MSE buffers are a few hundred MB at most: read no further ahead than this. */
const MAX_AHEAD_SECONDS = 60;

function endMessage(end: StreamEnd): string | null {
  if (end.kind === 'unsupported') return end.h265 ? 'This browser cannot play H.265; export the range and play it with a player that can.' : `This browser cannot play ${end.mimeType}.`;
  return end.kind === 'failed' ? end.message : null;
}

/** Recorded video from `fromMs`, through MSE; seeking works within what has been loaded. */
export function Player({ cameraId, fromMs, toMs, onTime }: { cameraId: number; fromMs: number; toMs: number; onTime: (ms: number) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [originMs, setOriginMs] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = video.current!;
    let origin: number | null = null;
    const url = `/api/v1/cameras/${cameraId}/playback?from=${Math.floor(fromMs)}&to=${Math.floor(Math.min(toMs, fromMs + REQUEST_SPAN_MS))}`;
    const stop = playStream(element, url, {
      live: false,
      maxAheadSeconds: MAX_AHEAD_SECONDS,
      onStart: (headers) => {
        origin = Number(headers.get('vigil-origin-ms'));
        setOriginMs(origin);
        // The stream starts at the keyframe before the time picked: go to the time itself.
        return Math.max(0, (fromMs - origin) / 1000);
      },
      onEnd: (end) => setProblem(endMessage(end)),
    });
    const tick = () => origin !== null && onTime(origin + element.currentTime * 1000);
    element.addEventListener('timeupdate', tick);
    return () => {
      element.removeEventListener('timeupdate', tick);
      stop();
    };
  }, [cameraId, fromMs, toMs, onTime]);

  return (
    <div className="player">
      <video ref={video} muted controls playsInline aria-label="Recorded video" data-testid="playback-video" data-origin-ms={originMs ?? undefined} />
      <p className="muted">Playing from {timeOfDay(fromMs)}.</p>
      {problem && (
        <p className="help" role="status">
          {problem}
        </p>
      )}
    </div>
  );
}
