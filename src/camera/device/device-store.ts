import type { CameraDatabase } from './camera-db.js';

export interface CameraDevice {
  serial: string;
  model: string;
  labelCodeHash: string;
  manufacturedAt: number;
  activatedAt: number | null;
}

interface Row {
  serial: string;
  model: string;
  label_code_hash: string;
  manufactured_at: number;
  activated_at: number | null;
}

export interface DeviceStore {
  insert(device: CameraDevice): void;
  get(): CameraDevice;
}

export function deviceStore(db: CameraDatabase): DeviceStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO device (id, serial, model, label_code_hash, manufactured_at, activated_at)
       VALUES (1, @serial, @model, @labelCodeHash, @manufacturedAt, @activatedAt)`,
    ),
    get: db.prepare<[], Row>('SELECT * FROM device WHERE id = 1'),
  };
  return {
    insert: (device) => {
      q.insert.run(device);
    },
    get: () => {
      const row = q.get.get();
      if (!row) throw new Error('this data directory holds no camera (vigil camera init)');
      return {
        serial: row.serial,
        model: row.model,
        labelCodeHash: row.label_code_hash,
        manufacturedAt: row.manufactured_at,
        activatedAt: row.activated_at,
      };
    },
  };
}
