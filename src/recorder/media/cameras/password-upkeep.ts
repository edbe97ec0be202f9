import type { Logger } from '../../../shared/logger.js';
import type { Timers } from '../../../shared/timers.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { SYSTEM_ACTOR } from '../../audit/system-actor.js';
import type { CameraStore } from '../../db/camera-store.js';
import { isChangeable, settlePendingPassword, type PasswordChangeDeps } from './password-change.js';
import { dueForRotation, nextUpkeepDelay, PENDING_RETRY_MS, SCHEDULE_CHECK_MS, type ScheduledCamera } from './password-change-policy.js';
import type { PasswordRotationJobs } from './password-rotation-jobs.js';

export interface PasswordUpkeepDeps extends PasswordChangeDeps {
  cameras: Pick<CameraStore, 'get' | 'list'>;
  jobs: Pick<PasswordRotationJobs, 'start' | 'current'>;
  audit: Pick<AuditLog, 'append'>;
  timers: Timers;
  logger: Logger;
  /** Whether the camera's stream refuses its login now (its supervisor's status). */
  streamRefused: (cameraId: number) => boolean;
}

/**
 * The recorder's passes over its cameras' passwords: a change left undecided (the camera stopped
 * answering in the middle) is settled as soon as the camera answers again, and the cameras the
 * admin's schedule finds due are rotated. A camera that refused both kept passwords is tried again
 * only an hour later: each try is a failed login on the camera's lockout, which may be what refused.
 */
export interface PasswordUpkeep {
  /** A change was left undecided: the next pass comes within PENDING_RETRY_MS, not at the schedule's next look. */
  wake(): void;
  /** No more passes; resolves when the one under way has ended. */
  stop(): Promise<void>;
}

export function startPasswordUpkeep(deps: PasswordUpkeepDeps): PasswordUpkeep {
  /** When each camera last refused both kept passwords: tried again an hour later (the camera's lockout may have caused it). */
  const bothRefusedAt = new Map<number, number>();
  /** When the schedule last tried each camera whose rotation then failed. */
  const triedAt = new Map<number, number>();
  const pass = async () => {
    for (const pending of deps.passwords.listPending()) {
      if (deps.clock.now() - (bothRefusedAt.get(pending.cameraId) ?? -Infinity) < SCHEDULE_CHECK_MS) continue;
      const settled = await settlePendingPassword(deps, pending.cameraId, { oldRefused: deps.streamRefused(pending.cameraId) });
      if (settled === 'both_refused') bothRefusedAt.set(pending.cameraId, deps.clock.now());
      if (settled === 'committed' || settled === 'abandoned') {
        deps.audit.append({
          type: 'camera.password_settled',
          outcome: 'success',
          actor: SYSTEM_ACTOR,
          target: `camera:${pending.cameraId}`,
          details: { kept: settled === 'committed' ? 'new' : 'old' },
        });
      }
    }
    const everyDays = deps.passwords.scheduleDays();
    const states = scheduledCameras(deps).map((c) => ({ ...c, triedAt: triedAt.get(c.cameraId) }));
    const due = dueForRotation(states, everyDays, deps.clock.now());
    if (due.length > 0 && !deps.jobs.current()) {
      deps.jobs.start(due, { actor: SYSTEM_ACTOR, trigger: 'schedule' });
      // A camera the job changes gets a new changedAt; one it could not change waits an hour.
      for (const id of due) triedAt.set(id, deps.clock.now());
    }
    return nextUpkeepDelay(states, everyDays, deps.clock.now());
  };
  // One pass at a time, each setting the timer of the next; wake brings the next one forward.
  let stopped = false;
  let cancelNext: () => void = () => {};
  let running: Promise<void> = Promise.resolve();
  const cycle = () => {
    running = running
      .then(pass)
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'a camera password upkeep pass failed');
        return PENDING_RETRY_MS;
      })
      .then((delay) => {
        cancelNext();
        if (!stopped) cancelNext = deps.timers.after(delay, cycle);
      });
  };
  cycle();
  return {
    wake() {
      if (stopped) return;
      cancelNext();
      cancelNext = deps.timers.after(PENDING_RETRY_MS, cycle);
    },
    async stop() {
      stopped = true;
      cancelNext();
      await running;
    },
  };
}

/** Each camera as the schedule sees it. */
export function scheduledCameras(deps: Pick<PasswordUpkeepDeps, 'cameras' | 'passwords'>): ScheduledCamera[] {
  const cameras = new Map(deps.cameras.list().map((c) => [c.id, c]));
  return deps.passwords.list().flatMap((state) => {
    const camera = cameras.get(state.cameraId);
    return camera ? [{ cameraId: state.cameraId, changedAt: state.changedAt, changeable: isChangeable(camera), pending: state.pendingSealed !== null }] : [];
  });
}
