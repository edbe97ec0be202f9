import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertAccount } from '../../../src/cloud/db/accounts.js';
import type { CloudDatabase } from '../../../src/cloud/db/database.js';
import { deleteBinding, deleteBindingOf, deviceSecretFor, devicesOf, findDevice, insertBinding } from '../../../src/cloud/db/devices.js';
import { migrate } from '../../../src/cloud/db/migrate.js';
import { openPgliteDatabase } from '../../../src/cloud/db/pglite.js';

let db: CloudDatabase;
beforeAll(async () => {
  db = await openPgliteDatabase();
  await migrate(db);
});
afterAll(() => db.close());

describe('the cloud keeps which account owns which device', () => {
  let owner: number;
  let other: number;
  const key = randomBytes(32);
  beforeEach(async () => {
    await db.exec('DELETE FROM devices; DELETE FROM accounts;');
    owner = await insertAccount(db, { email: 'owner@example.com', phone: null, username: null, passwordHash: 'x' }, 1);
    other = await insertAccount(db, { email: 'other@example.com', phone: null, username: null, passwordHash: 'x' }, 1);
  });

  it('one owner per device; the secret is sealed and opens for its owner only', async () => {
    const secret = randomBytes(32);
    const device = { serial: 'VGL1', publicKey: 'PEM', model: 'VR-8', ownerAccountId: owner, boundAt: 5 };
    expect(await insertBinding(db, device, secret, key)).toBe(true);
    expect(await insertBinding(db, { ...device, ownerAccountId: other }, randomBytes(32), key)).toBe(false);
    expect(await findDevice(db, 'VGL1')).toEqual(device);
    expect(await devicesOf(db, owner)).toEqual([device]);
    expect(await devicesOf(db, other)).toEqual([]);
    const { rows } = await db.query<{ secret_sealed: Buffer }>('SELECT secret_sealed FROM devices');
    expect(rows[0]!.secret_sealed.includes(secret)).toBe(false);
    expect(await deviceSecretFor(db, 'VGL1', owner, key)).toEqual(secret);
    expect(await deviceSecretFor(db, 'VGL1', other, key)).toBeUndefined();

    expect(await deleteBinding(db, 'VGL1', other)).toBe(false);
    expect(await deleteBindingOf(db, 'VGL1', 'another key')).toBe(false);
    expect(await deleteBinding(db, 'VGL1', owner)).toBe(true);
    expect(await findDevice(db, 'VGL1')).toBeUndefined();
  });
});
