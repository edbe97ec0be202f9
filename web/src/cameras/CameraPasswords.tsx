import { useCallback, useEffect, useState } from 'react';
import { ErrorAlert } from '../../shared/ErrorAlert.js';
import { formatTime } from '../../shared/format-time.js';
import { describeError, type ShownError } from '../errors.js';
import { cameraPasswordApi, type RotationJobView } from './password-api.js';

/** A job under way is polled this often: a camera's change takes a second or two. */
const POLL_MS = 1_000;

const OUTCOME_LABELS: Record<NonNullable<RotationJobView['cameras'][number]['outcome']>, string> = {
  changed: 'New password',
  current_refused: 'Refuses the stored password',
  new_refused: 'Refused the new password',
  unreachable: 'Not reached',
  unconfirmed: 'Undecided: both kept',
  not_changeable: 'Cannot be changed',
};

const SCHEDULES = [
  { days: null, label: 'Off' },
  { days: 30, label: 'Every 30 days' },
  { days: 90, label: 'Every 90 days' },
  { days: 180, label: 'Every 180 days' },
  { days: 365, label: 'Every year' },
] as const;

/**
 * "Camera passwords": rotate every camera's own password in one action, with its progress (n of N
 * and each camera's outcome), and the rotation schedule. `rotateOne` is how a row's Rotate button
 * starts a job of its camera here, so its progress shows in the same place.
 */
export function CameraPasswords({ rotateRequest, onChanged }: { rotateRequest: { cameraId: number; seq: number } | null; onChanged: () => Promise<void> }) {
  const [job, setJob] = useState<RotationJobView | null>(null);
  const [everyDays, setEveryDays] = useState<number | null>(null);
  const [nextAt, setNextAt] = useState<string | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const running = job !== null && job.finishedAt === null;

  useEffect(() => {
    cameraPasswordApi.overview().then(
      (overview) => {
        setJob(overview.job);
        setEveryDays(overview.schedule.everyDays);
        setNextAt(overview.schedule.nextRotationAt);
      },
      (err: unknown) => setError(describeError(err)),
    );
  }, []);

  // While a job runs, its progress is polled; when it ends, the camera list is read again.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      cameraPasswordApi.job(job.id).then(
        (answer) => {
          setJob(answer.job);
          if (answer.job.finishedAt !== null) void onChanged();
        },
        (err: unknown) => setError(describeError(err)),
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, job?.id, onChanged]);

  const rotate = useCallback(async (cameraIds?: number[]) => {
    setError(null);
    try {
      setJob((await cameraPasswordApi.rotate(cameraIds)).job);
    } catch (err) {
      setError(describeError(err));
    }
  }, []);

  useEffect(() => {
    if (rotateRequest) void rotate([rotateRequest.cameraId]);
  }, [rotateRequest, rotate]);

  async function saveSchedule(days: number | null) {
    setError(null);
    try {
      const { schedule } = await cameraPasswordApi.setSchedule(days);
      setEveryDays(schedule.everyDays);
      setNextAt(schedule.nextRotationAt);
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <section aria-labelledby="camera-passwords-heading" className="camera-passwords">
      <h2 id="camera-passwords-heading">Camera passwords</h2>
      <p className="help">
        Each camera has its own long random password, kept encrypted by the recorder. Rotating gives each camera a new one: the recorder sets it, checks a
        login with it, and only then keeps it. If anything fails, the camera keeps its old password and goes on recording.
      </p>
      <ErrorAlert error={error} />
      <div className="buttons">
        <button type="button" disabled={running} onClick={() => void rotate()}>
          {running ? 'Rotating…' : 'Rotate all camera passwords'}
        </button>
      </div>
      {job && <RotationProgress job={job} />}
      <div className="field">
        <label htmlFor="rotation-schedule">Rotate automatically</label>
        <select id="rotation-schedule" value={everyDays ?? ''} onChange={(e) => void saveSchedule(e.target.value === '' ? null : Number(e.target.value))}>
          {SCHEDULES.map((s) => (
            <option key={s.label} value={s.days ?? ''}>
              {s.label}
            </option>
          ))}
        </select>
        <p className="help" data-testid="rotation-next">
          {nextAt ? (
            <>
              Next rotation <time dateTime={nextAt}>{formatTime(nextAt)}</time>.
            </>
          ) : (
            'Passwords change only when you rotate them.'
          )}
        </p>
      </div>
    </section>
  );
}

function RotationProgress({ job }: { job: RotationJobView }) {
  const finished = job.finishedAt !== null;
  const failed = job.cameras.filter((c) => c.outcome !== null && c.outcome !== 'changed').length;
  return (
    <div className="rotation-progress" data-testid="rotation-progress">
      <p role="status" data-testid="rotation-count">
        {finished
          ? `Rotation finished: ${job.total - failed} of ${job.total} cameras have a new password${failed > 0 ? `, ${failed} kept their old one` : ''}.`
          : `Rotating: ${job.done} of ${job.total} cameras done.`}
      </p>
      <progress max={job.total} value={job.done} aria-label="Cameras done" />
      <ul className="rotation-cameras">
        {job.cameras.map((c) => (
          <li key={c.cameraId} data-testid="rotation-camera" data-outcome={c.outcome ?? c.state}>
            <span className="username">{c.name ?? `Camera ${c.cameraId} (removed)`}</span>{' '}
            <span className="badge" data-state={c.outcome === 'changed' ? 'online' : c.outcome === null ? 'connecting' : 'offline'}>
              {c.outcome ? OUTCOME_LABELS[c.outcome] : c.state === 'rotating' ? 'Rotating…' : 'Waiting'}
            </span>
            {c.outcome && c.outcome !== 'changed' && <span className="help">{c.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
