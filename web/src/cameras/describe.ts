import type { Camera, ProbeResult } from '../api.js';

const CODECS: Record<ProbeResult['codec'], string> = { h264: 'H.264', h265: 'H.265' };

/** 4 000 000 → "4.0 Mbit/s"; 350 000 → "350 kbit/s". */
export function formatBitrate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1)} Mbit/s`;
  return `${Math.round(bitsPerSecond / 1_000)} kbit/s`;
}

/** "H.264 · 1920×1080 · 25 fps · 4.0 Mbit/s", leaving out what was not measured. */
export function describeProbe(result: ProbeResult): string {
  return [
    CODECS[result.codec],
    result.width !== undefined && result.height !== undefined ? `${result.width}×${result.height}` : null,
    result.fps !== undefined ? `${result.fps} fps` : null,
    result.bitrate !== undefined ? formatBitrate(result.bitrate) : null,
  ]
    .filter((part) => part !== null)
    .join(' · ');
}

/** Why a camera has no codec, size or rate to show yet: they are measured from its first seconds of video. */
export function unmeasuredReason(camera: Camera): string {
  switch (camera.status.state) {
    case 'disabled':
      return 'Not measured: the camera is turned off';
    case 'offline':
      return 'Not measured yet: the camera has sent no video';
    default:
      return 'Measured once the camera sends a few seconds of video';
  }
}

export const STATE_LABELS: Record<Camera['status']['state'], string> = {
  online: 'Online',
  offline: 'Offline',
  connecting: 'Connecting',
  disabled: 'Disabled',
};

export type RecordingState = 'recording' | 'dropping' | 'not-recording';

/**
 * Whether a camera's video reaches the disk now: the recorder records every enabled camera while
 * frames arrive, and says when the disk fell behind and frames are being dropped.
 */
export function recordingState(camera: Camera): RecordingState {
  if (camera.status.state !== 'online') return 'not-recording';
  return camera.status.recording.droppingSince ? 'dropping' : 'recording';
}

export const RECORDING_LABELS: Record<RecordingState, string> = {
  recording: 'Recording',
  dropping: 'Dropping video: the disk is too slow',
  'not-recording': 'Not recording',
};
