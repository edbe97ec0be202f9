import { useEffect, useRef, useState } from 'react';
import type { Camera } from '../api.js';
import { playStream, type StreamEnd } from './mse-stream.js';

/** After the stream ends (camera lost, recorder restarted), try again this soon. */
const RETRY_MS = 2_000;

type TileState = { kind: 'connecting' } | { kind: 'live' } | { kind: 'retrying'; message: string } | { kind: 'unsupported'; message: string };

const H265_MESSAGE = 'This browser cannot play H.265 live; use playback export or a browser with H.265 support.';

function afterEnd(end: StreamEnd): TileState {
  if (end.kind === 'unsupported') {
    return { kind: 'unsupported', message: end.h265 ? H265_MESSAGE : `This browser cannot play this camera's video (${end.mimeType}).` };
  }
  return { kind: 'retrying', message: end.kind === 'failed' ? end.message : 'The live stream stopped. Reconnecting…' };
}

const BADGES: Record<TileState['kind'], { state: string; label: string }> = {
  connecting: { state: 'connecting', label: 'Connecting' },
  live: { state: 'online', label: 'Live' },
  retrying: { state: 'offline', label: 'Reconnecting' },
  unsupported: { state: 'disabled', label: 'Cannot play' },
};

/** One camera of the live grid: its video, a status badge and a snapshot link. */
export function LiveTile({ camera }: { camera: Camera }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<TileState>({ kind: 'connecting' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let retry: ReturnType<typeof setTimeout> | undefined;
    const stop = playStream(video.current!, `/api/v1/cameras/${camera.id}/live`, {
      live: true,
      onStart: () => setState({ kind: 'live' }),
      onEnd: (end) => {
        const next = afterEnd(end);
        setState(next);
        if (next.kind === 'retrying') retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
      },
    });
    return () => {
      clearTimeout(retry);
      stop();
    };
  }, [camera.id, attempt]);

  const badge = BADGES[state.kind];
  return (
    <figure className="live-tile" data-testid={`live-${camera.id}`}>
      <video ref={video} muted playsInline aria-label={`Live view of ${camera.name}`} />
      <figcaption>
        <strong>{camera.name}</strong>{' '}
        <span className="badge" data-state={badge.state}>
          {badge.label}
        </span>{' '}
        <a className="button" href={`/api/v1/cameras/${camera.id}/snapshot.jpg`} download={`${camera.name}.jpg`}>
          Snapshot
        </a>
        {(state.kind === 'retrying' || state.kind === 'unsupported') && (
          <span className="help" role="status">
            {state.message}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
