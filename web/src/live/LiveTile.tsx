import { useEffect, useRef, useState } from 'react';
import type { Camera } from '../api.js';
import { timeOfDay } from '../playback/day.js';
import { FullscreenButton } from './FullscreenButton.js';
import { SnapshotIcon } from './icons.js';
import { playStream, type StreamEnd } from './mse-stream.js';
import { retryDelayMs } from './retry-backoff.js';

type TileState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Lost or never got the stream: asks again at `retryAt`. */
  | { kind: 'no-signal'; message: string; retryAt: number }
  /** Final until the page is reloaded: retrying would not change the answer. */
  | { kind: 'forbidden' }
  | { kind: 'unsupported'; message: string };

const H265_MESSAGE = 'This browser cannot play H.265 live; use playback export or a browser with H.265 support.';

function afterEnd(end: StreamEnd, failuresInARow: number, now: number): TileState {
  if (end.kind === 'unsupported') {
    return { kind: 'unsupported', message: end.h265 ? H265_MESSAGE : `This browser cannot play this camera's video (${end.mimeType}).` };
  }
  if (end.kind === 'failed' && end.status === 403) return { kind: 'forbidden' };
  // The recorder's 409 says "try again in a moment"; the tile says when it will.
  const message = end.kind === 'ended' ? 'The live stream stopped.' : end.status === 409 ? 'The camera is sending no video.' : end.message;
  return { kind: 'no-signal', message, retryAt: now + retryDelayMs(failuresInARow) };
}

const BADGES: Record<TileState['kind'], { state: string; label: string }> = {
  connecting: { state: 'connecting', label: 'Connecting' },
  live: { state: 'online', label: 'Live' },
  'no-signal': { state: 'offline', label: 'No signal' },
  forbidden: { state: 'disabled', label: 'No permission' },
  unsupported: { state: 'disabled', label: 'Cannot play' },
};

/** The time of the picture shown: the clock, less how far the picture is behind the newest frame. */
function pictureTime(video: HTMLVideoElement | null, now: number): number {
  if (!video || video.buffered.length === 0) return now;
  return now - Math.max(0, video.buffered.end(video.buffered.length - 1) - video.currentTime) * 1000;
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * One camera of the live grid: its video filling the tile, with its name, its state, the time of
 * the picture, and buttons to open it large, put it in fullscreen and save a snapshot. A lost
 * stream says so and is asked for again, less often the longer it stays lost.
 */
export function LiveTile({ camera, onOpen }: { camera: Camera; onOpen?: () => void }) {
  const figure = useRef<HTMLElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<TileState>({ kind: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  const failures = useRef(0);
  const now = useNow(1000);

  useEffect(() => {
    let retry: ReturnType<typeof setTimeout> | undefined;
    const stop = playStream(video.current!, `/api/v1/cameras/${camera.id}/live`, {
      live: true,
      onStart: () => {
        failures.current = 0;
        setState({ kind: 'live' });
      },
      onEnd: (end) => {
        failures.current += 1;
        const next = afterEnd(end, failures.current, Date.now());
        setState(next);
        if (next.kind === 'no-signal') retry = setTimeout(() => setAttempt((n) => n + 1), next.retryAt - Date.now());
      },
    });
    return () => {
      clearTimeout(retry);
      stop();
    };
  }, [camera.id, attempt]);

  const badge = BADGES[state.kind];
  const problem =
    state.kind === 'no-signal'
      ? `${state.message} Trying again in ${Math.max(1, Math.ceil((state.retryAt - now) / 1000))} s.`
      : state.kind === 'forbidden'
        ? 'You do not have permission to watch this camera live.'
        : state.kind === 'unsupported'
          ? state.message
          : null;
  return (
    <figure ref={figure} className="live-tile" data-testid={`live-${camera.id}`} data-state={state.kind}>
      <video ref={video} muted playsInline aria-label={`Live view of ${camera.name}`} />
      {onOpen && (
        <button type="button" className="live-tile-open" onClick={onOpen}>
          <span className="visually-hidden">Open {camera.name} large</span>
        </button>
      )}
      {problem && (
        <p className="video-problem" role="status">
          {problem}
        </p>
      )}
      <figcaption>
        <strong className="live-tile-name">{camera.name}</strong>
        <span className="badge" data-state={badge.state}>
          {badge.label}
        </span>
        {state.kind === 'live' && (
          <time className="live-tile-time" aria-label={`Time of the picture on ${camera.name}`}>
            {timeOfDay(pictureTime(video.current, now))}
          </time>
        )}
        <span className="live-tile-actions">
          <a className="icon-button" href={`/api/v1/cameras/${camera.id}/snapshot.jpg`} download={`${camera.name}.jpg`} aria-label={`Snapshot of ${camera.name}`} title="Snapshot">
            <SnapshotIcon />
          </a>
          <FullscreenButton target={figure} label={camera.name} />
        </span>
      </figcaption>
    </figure>
  );
}
