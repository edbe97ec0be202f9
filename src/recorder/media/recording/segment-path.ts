/**
 * Where a segment lives under the footage directory: <camera>/<YYYY-MM-DD>/<start-ms>.mp4 (UTC
 * day). The name alone says whose and when, so `check` can rebuild a lost index row from it.
 */

export function segmentPath(cameraId: number, startMs: number): string {
  const day = new Date(startMs).toISOString().slice(0, 10);
  return `${cameraId}/${day}/${startMs}.mp4`;
}

/** The camera and start time a segment path names, or undefined if it is not one. */
export function parseSegmentPath(path: string): { cameraId: number; startMs: number } | undefined {
  const match = /^(\d+)\/(\d{4}-\d{2}-\d{2})\/(\d+)\.mp4$/.exec(path);
  if (!match) return undefined;
  const cameraId = Number(match[1]);
  const startMs = Number(match[3]);
  return Number.isSafeInteger(cameraId) && Number.isSafeInteger(startMs) && segmentPath(cameraId, startMs) === path
    ? { cameraId, startMs }
    : undefined;
}
