import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../shared/logger.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { newCameraPassword } from './camera-activation.js';
import { changeCameraPassword, type PasswordChangeDeps } from './password-change.js';
import type { PasswordChangeOutcome } from './password-change-policy.js';

/** Who started a rotation: an admin (named in the audit log) or the schedule. */
export interface RotationStarter {
  actor: { id: number | null; username: string };
  sourceIp?: string;
  trigger: 'admin' | 'schedule';
}

export interface RotationJobCamera {
  cameraId: number;
  state: 'waiting' | 'rotating' | 'done';
  outcome: PasswordChangeOutcome | null;
}

/** One rotation of one or more cameras, as the page polls it: n of N done, and each camera's outcome. */
export interface RotationJob {
  id: string;
  trigger: RotationStarter['trigger'];
  startedAt: number;
  finishedAt: number | null;
  cameras: RotationJobCamera[];
}

/** Cameras rotated at once: a LAN of cameras answers in parallel, and a few at a time keeps the recorder's event loop free. */
export const ROTATION_CONCURRENCY = 8;
/** Finished jobs kept for the page, newest last. */
const KEPT_JOBS = 5;

/**
 * Rotations run as jobs in the background, one at a time: starting one answers at once with the
 * job, whose progress the page polls. Each camera gets a new random password through the two-phase
 * change (password-change.ts); the start and every camera's outcome are audited, never a password.
 */
export class PasswordRotationJobs {
  readonly #jobs: RotationJob[] = [];
  #running: Promise<void> = Promise.resolve();
  /** Cameras with a chosen password being set. */
  readonly #changing = new Set<number>();

  constructor(
    private readonly deps: PasswordChangeDeps & {
      audit: Pick<AuditLog, 'append'>;
      logger: Logger;
      /** A change ended undecided: whoever settles pending passwords should look soon. */
      unsettled: () => void;
    },
    private readonly concurrency = ROTATION_CONCURRENCY,
  ) {}

  /** The job under way, if any. */
  current(): RotationJob | undefined {
    return this.#jobs.find((job) => job.finishedAt === null);
  }

  get(id: string): RotationJob | undefined {
    return this.#jobs.find((job) => job.id === id);
  }

  latest(): RotationJob | undefined {
    return this.#jobs.at(-1);
  }

  /** Resolves when the job under way (if any) has finished. */
  settled(): Promise<void> {
    return this.#running;
  }

  /**
   * Sets a password an admin chose on one camera, through the same two phases; undefined when a
   * rotation or another change is under way (two changes of one camera at once would lose one).
   */
  async changeTo(cameraId: number, password: string, starter: RotationStarter): Promise<PasswordChangeOutcome | undefined> {
    if (this.current() || this.#changing.has(cameraId)) return undefined;
    this.#changing.add(cameraId);
    try {
      const outcome = await changeCameraPassword(this.deps, cameraId, password);
      auditPasswordChange(this.deps.audit, cameraId, outcome, { ...starter, kind: 'chosen' });
      if (outcome === 'unconfirmed') this.deps.unsettled();
      return outcome;
    } finally {
      this.#changing.delete(cameraId);
    }
  }

  /** Starts rotating `cameraIds`; undefined when a rotation or a chosen change is already under way. */
  start(cameraIds: readonly number[], starter: RotationStarter): RotationJob | undefined {
    if (this.current() || this.#changing.size > 0) return undefined;
    const job: RotationJob = {
      id: randomUUID(),
      trigger: starter.trigger,
      startedAt: this.deps.clock.now(),
      finishedAt: null,
      cameras: cameraIds.map((cameraId) => ({ cameraId, state: 'waiting', outcome: null })),
    };
    this.#jobs.push(job);
    if (this.#jobs.length > KEPT_JOBS) this.#jobs.shift();
    this.deps.audit.append({
      type: 'camera.password_rotation_started',
      outcome: 'success',
      actor: starter.actor,
      sourceIp: starter.sourceIp,
      target: 'device',
      details: { job: job.id, cameras: cameraIds.length, trigger: starter.trigger },
    });
    this.#running = this.#run(job, starter).catch((err: unknown) => this.deps.logger.error({ err, job: job.id }, 'a camera password rotation failed'));
    return job;
  }

  async #run(job: RotationJob, starter: RotationStarter): Promise<void> {
    const queue = [...job.cameras];
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        entry.state = 'rotating';
        entry.outcome = await changeCameraPassword(this.deps, entry.cameraId, newCameraPassword()).catch((err: unknown) => {
          this.deps.logger.error({ err, cameraId: entry!.cameraId }, 'a camera password change failed unexpectedly');
          return 'unconfirmed' as const;
        });
        entry.state = 'done';
        auditPasswordChange(this.deps.audit, entry.cameraId, entry.outcome, { ...starter, job: job.id, kind: 'rotation' });
        if (entry.outcome === 'unconfirmed') this.deps.unsettled();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    job.finishedAt = this.deps.clock.now();
  }
}

/** One camera's change in the audit log: what happened and why, never the password. */
export function auditPasswordChange(
  audit: Pick<AuditLog, 'append'>,
  cameraId: number,
  outcome: PasswordChangeOutcome,
  by: RotationStarter & { job?: string; kind: 'rotation' | 'chosen' },
): void {
  const changed = outcome === 'changed';
  audit.append({
    type: by.kind === 'rotation' ? (changed ? 'camera.password_rotated' : 'camera.password_rotation_failed') : 'camera.password_set',
    outcome: changed ? 'success' : 'failure',
    actor: by.actor,
    sourceIp: by.sourceIp,
    target: `camera:${cameraId}`,
    details: { outcome, trigger: by.trigger, ...(by.job ? { job: by.job } : {}) },
  });
}
