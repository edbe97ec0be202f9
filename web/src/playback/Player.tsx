import { useEffect, useRef, useState } from 'react';
import { FullscreenButton } from '../live/FullscreenButton.js';
import { NextIcon, PauseIcon, PlayIcon, PreviousIcon } from '../live/icons.js';
import { playStream, type StreamEnd } from '../live/mse-stream.js';
import { timeOfDay } from './day.js';

/** MSE buffers are a few hundred MB at most: read no further ahead than this (of media time). */
const MAX_AHEAD_SECONDS = 60;
export const SPEEDS = [1, 2, 4, 8] as const;

function endMessage(end: StreamEnd): string | null {
  if (end.kind === 'unsupported') return end.h265 ? 'This browser cannot play H.265; export the range and play it with a player that can.' : `This browser cannot play ${end.mimeType}.`;
  return end.kind === 'failed' ? end.message : null;
}

const dateOf = (ms: number) => new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

interface Props {
  cameraId: number;
  cameraName: string;
  /** Play from this clock time, through `toMs` (the end of its recorded range: MSE cannot play across a gap). */
  fromMs: number;
  toMs: number;
  speed: number;
  onSpeed: (speed: number) => void;
  /** The clock time of the picture shown, as it plays. */
  onTime: (ms: number) => void;
  /** The range played to its end, at this clock time. */
  onEnded: (ms: number) => void;
  onPrevious: () => void;
  onNext: () => void;
}

/** Recorded video from `fromMs`, through MSE, with its clock time, speed and footage-to-footage buttons. */
export function Player({ cameraId, cameraName, fromMs, toMs, speed, onSpeed, onTime, onEnded, onPrevious, onNext }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [clockMs, setClockMs] = useState<number | null>(null);
  const [paused, setPaused] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const speedRef = useRef(speed);
  speedRef.current = speed;
  const callbacks = useRef({ onTime, onEnded });
  callbacks.current = { onTime, onEnded };

  useEffect(() => {
    const element = video.current!;
    let origin: number | null = null;
    setProblem(null);
    setClockMs(null);
    const stop = playStream(element, `/api/v1/cameras/${cameraId}/playback?from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`, {
      live: false,
      maxAheadSeconds: MAX_AHEAD_SECONDS,
      onStart: (headers) => {
        origin = Number(headers.get('vigil-origin-ms'));
        // The stream starts at the keyframe before the time picked: go to the time itself.
        return Math.max(0, (fromMs - origin) / 1000);
      },
      onEnd: (end) => setProblem(endMessage(end)),
    });
    // A new source resets the rate to the default one: keep the speed chosen.
    const keepSpeed = () => {
      element.defaultPlaybackRate = speedRef.current;
      element.playbackRate = speedRef.current;
    };
    const tick = () => {
      if (origin === null) return;
      const ms = origin + element.currentTime * 1000;
      setClockMs(ms);
      callbacks.current.onTime(ms);
    };
    const ended = () => origin !== null && callbacks.current.onEnded(origin + element.currentTime * 1000);
    const followPause = () => setPaused(element.paused);
    element.addEventListener('loadedmetadata', keepSpeed);
    element.addEventListener('timeupdate', tick);
    element.addEventListener('ended', ended);
    element.addEventListener('play', followPause);
    element.addEventListener('pause', followPause);
    return () => {
      element.removeEventListener('loadedmetadata', keepSpeed);
      element.removeEventListener('timeupdate', tick);
      element.removeEventListener('ended', ended);
      element.removeEventListener('play', followPause);
      element.removeEventListener('pause', followPause);
      stop();
    };
  }, [cameraId, fromMs, toMs]);

  useEffect(() => {
    video.current!.defaultPlaybackRate = speed;
    video.current!.playbackRate = speed;
  }, [speed]);

  const toggle = () => {
    const element = video.current!;
    if (element.paused) void element.play().catch(() => undefined);
    else element.pause();
  };

  return (
    <div className="player" ref={frame}>
      <div className="player-frame">
        <video ref={video} muted playsInline aria-label={`Recorded video of ${cameraName}`} data-testid="playback-video" onClick={toggle} />
        {problem && (
          <p className="video-problem" role="status">
            {problem}
          </p>
        )}
      </div>
      <div className="player-controls">
        <button type="button" onClick={onPrevious} aria-label="Previous footage" title="Previous footage" className="icon-button">
          <PreviousIcon />
        </button>
        <button type="button" onClick={toggle} aria-label={paused ? 'Play' : 'Pause'} className="icon-button player-play">
          {paused ? <PlayIcon /> : <PauseIcon />}
        </button>
        <button type="button" onClick={onNext} aria-label="Next footage" title="Next footage" className="icon-button">
          <NextIcon />
        </button>
        <output className="player-clock" data-testid="playback-clock" data-ms={clockMs === null ? undefined : Math.round(clockMs)} aria-label="Time of the picture">
          {clockMs === null ? '--:--:--' : (
            <>
              <span className="player-date">{dateOf(clockMs)}</span> {timeOfDay(clockMs)}
            </>
          )}
        </output>
        <div role="group" aria-label="Speed" className="segmented">
          {SPEEDS.map((s) => (
            <button key={s} type="button" aria-pressed={s === speed} onClick={() => onSpeed(s)}>
              {s}×
            </button>
          ))}
        </div>
        <FullscreenButton target={frame} label="recorded video" />
      </div>
    </div>
  );
}
