import type { Database } from 'better-sqlite3';
import type { VideoCodec } from '../../media/types.js';

export type CameraTransport = 'tcp' | 'udp';
/** What a camera's recording keeps: everything, or only the footage around motion events. */
export type RecordingMode = 'continuous' | 'motion';

/** What the last probe of a camera measured; width and height only when the SPS could be read. */
export interface ProbeResult {
  codec: VideoCodec;
  width?: number;
  height?: number;
  /** Frames per second, from the presentation times. */
  fps?: number;
  /** Bits per second, from the frames' sizes over their presentation times. */
  bitrate?: number;
}

export interface CameraRecord {
  id: number;
  name: string;
  /** rtsp:// or rtsps:// without credentials. */
  url: string;
  username: string | null;
  /** The camera's password, sealed under the settings key for this camera's id; null when none. */
  passwordSealed: Buffer | null;
  transport: CameraTransport;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  probe: (ProbeResult & { at: number }) | null;
  /** Its ONVIF device service, when it was added by ONVIF or activated: its password is changed and its motion events subscribed there. */
  deviceUrl: string | null;
  recordingMode: RecordingMode;
}

export type NewCamera = Pick<CameraRecord, 'name' | 'url' | 'username' | 'transport' | 'enabled'>;

/** The camera list. Same database and transactions as RecorderStore. */
export interface CameraStore {
  /** Cameras in id order. */
  list(): CameraRecord[];
  get(id: number): CameraRecord | undefined;
  insert(camera: NewCamera, now: number): CameraRecord;
  /** Replaces the editable fields and the sealed password; the probe stays unless `clearProbe`. */
  update(id: number, camera: NewCamera & { passwordSealed: Buffer | null }, now: number, clearProbe: boolean): void;
  setPassword(id: number, passwordSealed: Buffer | null): void;
  saveProbe(id: number, probe: ProbeResult, now: number): void;
  setDeviceUrl(id: number, deviceUrl: string | null): void;
  setRecordingMode(id: number, mode: RecordingMode, now: number): void;
  /** Removes the row only: recordings of the camera are kept (they refer to the id, which is never reused). */
  remove(id: number): boolean;
}

interface CameraRow {
  id: number;
  name: string;
  url: string;
  username: string | null;
  password_sealed: Buffer | null;
  transport: CameraTransport;
  enabled: number;
  created_at: number;
  updated_at: number;
  probed_codec: VideoCodec | null;
  probed_width: number | null;
  probed_height: number | null;
  probed_fps: number | null;
  probed_bitrate: number | null;
  probed_at: number | null;
  device_url: string | null;
  recording_mode: RecordingMode;
}

/** Optional numbers of the probe: a NULL column becomes an absent property, not `undefined`. */
function present<K extends string>(key: K, value: number | null): Partial<Record<K, number>> {
  return value === null ? {} : ({ [key]: value } as Record<K, number>);
}

const toRecord = (r: CameraRow): CameraRecord => ({
  id: r.id,
  name: r.name,
  url: r.url,
  username: r.username,
  passwordSealed: r.password_sealed,
  transport: r.transport,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  probe:
    r.probed_codec === null || r.probed_at === null
      ? null
      : {
          codec: r.probed_codec,
          at: r.probed_at,
          ...present('width', r.probed_width),
          ...present('height', r.probed_height),
          ...present('fps', r.probed_fps),
          ...present('bitrate', r.probed_bitrate),
        },
  deviceUrl: r.device_url,
  recordingMode: r.recording_mode,
});

export function createCameraStore(db: Database): CameraStore {
  const q = {
    list: db.prepare<[], CameraRow>('SELECT * FROM cameras ORDER BY id'),
    get: db.prepare<[number], CameraRow>('SELECT * FROM cameras WHERE id = ?'),
    insert: db.prepare<[string, string, string | null, CameraTransport, number, number, number], CameraRow>(
      `INSERT INTO cameras (name, url, username, transport, enabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    update: db.prepare(
      `UPDATE cameras SET name = @name, url = @url, username = @username, password_sealed = @passwordSealed,
         transport = @transport, enabled = @enabled, updated_at = @now WHERE id = @id`,
    ),
    clearProbe: db.prepare(
      `UPDATE cameras SET probed_codec = NULL, probed_width = NULL, probed_height = NULL, probed_fps = NULL,
         probed_bitrate = NULL, probed_at = NULL WHERE id = ?`,
    ),
    setPassword: db.prepare('UPDATE cameras SET password_sealed = ? WHERE id = ?'),
    saveProbe: db.prepare(
      `UPDATE cameras SET probed_codec = @codec, probed_width = @width, probed_height = @height, probed_fps = @fps,
         probed_bitrate = @bitrate, probed_at = @now WHERE id = @id`,
    ),
    remove: db.prepare('DELETE FROM cameras WHERE id = ?'),
    setDeviceUrl: db.prepare('UPDATE cameras SET device_url = ? WHERE id = ?'),
    setRecordingMode: db.prepare('UPDATE cameras SET recording_mode = ?, updated_at = ? WHERE id = ?'),
  };
  return {
    list: () => q.list.all().map(toRecord),
    get(id) {
      const r = q.get.get(id);
      return r && toRecord(r);
    },
    insert(camera, now) {
      const row = q.insert.get(camera.name, camera.url, camera.username, camera.transport, camera.enabled ? 1 : 0, now, now)!;
      return toRecord(row);
    },
    update(id, camera, now, clearProbe) {
      db.transaction(() => {
        q.update.run({ ...camera, enabled: camera.enabled ? 1 : 0, now, id });
        if (clearProbe) q.clearProbe.run(id);
      })();
    },
    setPassword(id, passwordSealed) {
      q.setPassword.run(passwordSealed, id);
    },
    saveProbe(id, probe, now) {
      q.saveProbe.run({
        id,
        now,
        codec: probe.codec,
        width: probe.width ?? null,
        height: probe.height ?? null,
        fps: probe.fps ?? null,
        bitrate: probe.bitrate ?? null,
      });
    },
    remove: (id) => q.remove.run(id).changes === 1,
    setDeviceUrl(id, deviceUrl) {
      q.setDeviceUrl.run(deviceUrl, id);
    },
    setRecordingMode(id, mode, now) {
      q.setRecordingMode.run(mode, now, id);
    },
  };
}
