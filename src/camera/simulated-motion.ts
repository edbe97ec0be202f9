import type { VigilCamera } from './vigil-camera.js';

/** How long each simulated motion alarm stays on. */
const MOTION_SECONDS = 5;

/** The simulation's motion detector: the alarm goes on for 5 s every `everySeconds`. Returns what stops it. */
export function simulateMotion(camera: Pick<VigilCamera, 'setMotion'>, everySeconds: number): () => void {
  let off: NodeJS.Timeout | undefined;
  const every = setInterval(() => {
    camera.setMotion(true);
    off = setTimeout(() => camera.setMotion(false), MOTION_SECONDS * 1000);
  }, everySeconds * 1000);
  return () => {
    clearInterval(every);
    clearTimeout(off);
  };
}
