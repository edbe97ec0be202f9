import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCloudBindingStore } from '../../../src/recorder/cloud/binding-store.js';
import { migrate } from '../../../src/recorder/db/migrate.js';

const KEY = randomBytes(32);
const BINDING = { cloudUrl: 'wss://cloud.example', cloudPublicKey: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----\n', ownerLabel: 'o***@example.com', boundAt: 1000 };

describe('the recorder keeps its cloud binding', () => {
  let db: Database.Database;
  const key = () => KEY;
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db);
  });
  afterEach(() => db.close());

  it('stores one binding with its secret sealed, refuses a second owner, and forgets it on unbind', () => {
    const store = createCloudBindingStore(db, key, 'VGL1');
    const secret = randomBytes(32);
    expect(store.get()).toBeUndefined();
    expect(store.bind(BINDING, secret)).toBe(true);
    expect(store.get()).toEqual(BINDING);
    expect(store.deviceSecret()).toEqual(secret);
    const raw = db.prepare<[], { device_secret_sealed: Buffer }>('SELECT device_secret_sealed FROM cloud_binding').get()!;
    expect(raw.device_secret_sealed.includes(secret)).toBe(false);

    expect(store.bind({ ...BINDING, cloudUrl: 'wss://other.example' }, randomBytes(32))).toBe(false);
    expect(store.get()!.cloudUrl).toBe('wss://cloud.example');

    expect(store.unbind()).toBe(true);
    expect(store.unbind()).toBe(false);
    expect(store.get()).toBeUndefined();
    expect(store.deviceSecret()).toBeUndefined();
  });

  it('the sealed secret does not open under another key or for another serial', () => {
    createCloudBindingStore(db, key, 'VGL1').bind(BINDING, randomBytes(32));
    expect(createCloudBindingStore(db, () => randomBytes(32), 'VGL1').deviceSecret()).toBeUndefined();
    expect(createCloudBindingStore(db, key, 'VGL2').deviceSecret()).toBeUndefined();
  });

  it('a nonce is used once until it expires', () => {
    const store = createCloudBindingStore(db, key, 'VGL1');
    expect(store.useResetNonce('n1', 5000, 1000)).toBe(true);
    expect(store.useResetNonce('n1', 5000, 2000)).toBe(false);
    // Kept across a new store on the same database (a restart).
    expect(createCloudBindingStore(db, key, 'VGL1').useResetNonce('n1', 5000, 3000)).toBe(false);
    // Gone once expired: the authorisation's expiry refuses it before this is asked.
    expect(store.useResetNonce('n1', 9000, 6000)).toBe(true);
  });
});
