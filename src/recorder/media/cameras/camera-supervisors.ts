import type { CameraRecord } from '../../db/camera-store.js';
import type { RtspSource } from '../../../media/types.js';
import { CameraSupervisor, type FrameSink, type SupervisorDeps } from './camera-supervisor.js';
import type { CameraStatus } from './supervisor-policy.js';

/** The sinks of one camera's frames (its recording, its live view). */
export type SinkFactory = (cameraId: number) => readonly FrameSink[];

/** Something that runs beside a camera's supervisor, started and stopped with it (its motion events). */
export interface SupervisorCompanion {
  start(): void;
  stop(): Promise<void>;
}

const DISABLED: CameraStatus = { state: 'disabled', lastFrameAt: null, bitrate: null, problem: null, retryAt: null };

/**
 * One supervisor per enabled camera, kept in step with the camera list: `sync` after every add,
 * edit and removal starts, restarts (when how to reach the camera changed) and stops them.
 */
export class CameraSupervisors {
  readonly #running = new Map<number, { supervisor: CameraSupervisor; reach: string; companion?: SupervisorCompanion }>();
  /** Syncs run one after another: a quick edit after an add must not race the add's start. */
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Omit<SupervisorDeps, 'sinks'>,
    private readonly sinkFor: SinkFactory,
    /** The camera's address and credentials, the password opened (see camera-secrets.ts). */
    private readonly sourceOf: (camera: CameraRecord) => RtspSource,
    /** What runs beside a camera's supervisor, if anything (its motion events, when it has an ONVIF service). */
    private readonly companionOf: (camera: CameraRecord) => SupervisorCompanion | undefined = () => undefined,
  ) {}

  /** Brings the supervisors in line with `cameras` (the whole list); resolves when stopped ones have stopped. */
  sync(cameras: readonly CameraRecord[]): Promise<void> {
    this.#queue = this.#queue
      .then(() => this.#sync(cameras))
      .catch((err: unknown) => this.deps.logger.error({ err }, 'the camera supervisors could not be brought in line with the camera list'));
    return this.#queue;
  }

  status(cameraId: number): CameraStatus {
    return this.#running.get(cameraId)?.supervisor.status() ?? DISABLED;
  }

  stopAll(): Promise<void> {
    return this.sync([]);
  }

  async #sync(cameras: readonly CameraRecord[]): Promise<void> {
    const wanted = new Map(cameras.filter((c) => c.enabled).map((c) => [c.id, c]));
    const stopping: Promise<void>[] = [];
    for (const [id, { supervisor, reach, companion }] of this.#running) {
      const camera = wanted.get(id);
      if (camera && reachOf(camera) === reach) continue;
      this.#running.delete(id);
      stopping.push(supervisor.stop());
      if (companion) stopping.push(companion.stop());
    }
    await Promise.all(stopping);
    for (const camera of wanted.values()) {
      if (this.#running.has(camera.id)) continue;
      const supervisor = new CameraSupervisor(camera.id, this.sourceOf(camera), { ...this.deps, sinks: this.sinkFor(camera.id) });
      const companion = this.companionOf(camera);
      this.#running.set(camera.id, { supervisor, reach: reachOf(camera), companion });
      supervisor.start();
      companion?.start();
    }
  }
}

/** Everything that decides how the camera is reached: a change in any of it restarts the supervisor. */
function reachOf(camera: CameraRecord): string {
  return JSON.stringify([camera.url, camera.username, camera.transport, camera.passwordSealed?.toString('base64') ?? null, camera.deviceUrl]);
}
