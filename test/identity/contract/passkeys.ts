import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewPasskey } from '../../../src/identity/two-factor/factor-store.js';
import { randomToken } from '../../../src/shared/secrets.js';
import { concurrently, freshAdapterEachTest, type MakeAdapter } from './adapter.js';

export function describePasskeyContract(makeAdapter: MakeAdapter): void {
  describe('passkeys', () => {
    const t = freshAdapterEachTest(makeAdapter);
    const passkeys = () => t.adapter.twoFactorFactors;

    const newPasskey = (accountId: number, changes: Partial<NewPasskey> = {}): NewPasskey => ({
      accountId,
      credentialId: randomToken(16),
      name: 'Security key',
      publicKey: randomBytes(77),
      counter: 0,
      transports: ['usb', 'nfc'],
      createdAt: t.clock.now(),
      ...changes,
    });

    /** Adds a passkey for the first account and answers it as stored. */
    async function added(changes: Partial<NewPasskey> = {}) {
      const passkey = newPasskey(t.adapter.accounts[0], changes);
      expect(await passkeys().addPasskey(passkey)).toBe(true);
      const stored = (await passkeys().listPasskeys(passkey.accountId)).find((p) => p.credentialId === passkey.credentialId);
      return stored!;
    }

    it("an account's passkeys are listed oldest first, as they were added, and only its own", async () => {
      const [mine, theirs] = t.adapter.accounts;
      const first = newPasskey(mine, { name: 'Laptop' });
      await passkeys().addPasskey(first);
      t.clock.advance(5);
      const second = newPasskey(mine, { name: 'Phone', counter: 7, transports: [] });
      await passkeys().addPasskey(second);
      await passkeys().addPasskey(newPasskey(theirs));
      const listed = await passkeys().listPasskeys(mine);
      expect(listed).toEqual([
        { ...first, id: expect.any(Number), lastUsedAt: null },
        { ...second, id: expect.any(Number), lastUsedAt: null },
      ]);
      expect(listed[0]!.id).not.toBe(listed[1]!.id);
      expect(await passkeys().listPasskeys(theirs)).toHaveLength(1);
    });

    it('a credential id is added once: again, for any account, it is refused; of 20 concurrent adds one wins', async () => {
      const [mine, theirs] = t.adapter.accounts;
      const passkey = newPasskey(mine);
      const results = await concurrently(20, () => passkeys().addPasskey(passkey));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await passkeys().addPasskey({ ...newPasskey(theirs), credentialId: passkey.credentialId })).toBe(false);
      expect(await passkeys().listPasskeys(mine)).toHaveLength(1);
      expect(await passkeys().listPasskeys(theirs)).toEqual([]);
    });

    it('a use moves the counter forward and notes the time; a counter not above the stored one is refused', async () => {
      const passkey = await added({ counter: 5 });
      t.clock.advance(60);
      expect(await passkeys().recordPasskeyUse(passkey.id, 5, t.clock.now())).toBe(false);
      expect(await passkeys().recordPasskeyUse(passkey.id, 4, t.clock.now())).toBe(false);
      expect(await passkeys().recordPasskeyUse(passkey.id, 9, t.clock.now())).toBe(true);
      expect(await passkeys().recordPasskeyUse(passkey.id, 9, t.clock.now())).toBe(false);
      const [stored] = await passkeys().listPasskeys(passkey.accountId);
      expect(stored).toMatchObject({ counter: 9, lastUsedAt: t.clock.now() });
    });

    it('of 20 concurrent uses with one counter exactly one is recorded', async () => {
      const passkey = await added({ counter: 10 });
      const results = await concurrently(20, () => passkeys().recordPasskeyUse(passkey.id, 11, t.clock.now()));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await passkeys().listPasskeys(passkey.accountId))[0]!.counter).toBe(11);
    });

    it('an authenticator that does not count (0, then 0) may be used again', async () => {
      const passkey = await added({ counter: 0 });
      expect(await passkeys().recordPasskeyUse(passkey.id, 0, t.clock.now())).toBe(true);
      expect(await passkeys().recordPasskeyUse(passkey.id, 0, t.clock.now())).toBe(true);
      // Once it counts, it must go on counting.
      expect(await passkeys().recordPasskeyUse(passkey.id, 3, t.clock.now())).toBe(true);
      expect(await passkeys().recordPasskeyUse(passkey.id, 0, t.clock.now())).toBe(false);
    });

    it('a passkey is removed only by its own account, once', async () => {
      const passkey = await added();
      const other = t.adapter.accounts[1];
      expect(await passkeys().removePasskey(other, passkey.id)).toBe(false);
      expect(await passkeys().removePasskey(passkey.accountId, passkey.id)).toBe(true);
      expect(await passkeys().removePasskey(passkey.accountId, passkey.id)).toBe(false);
      expect(await passkeys().listPasskeys(passkey.accountId)).toEqual([]);
    });

    it("removing an account's factors removes its passkeys, not another account's", async () => {
      const [mine, theirs] = t.adapter.accounts;
      await passkeys().addPasskey(newPasskey(mine));
      await passkeys().addPasskey(newPasskey(theirs));
      await passkeys().removeAllFactors(mine);
      expect(await passkeys().listPasskeys(mine)).toEqual([]);
      expect(await passkeys().listPasskeys(theirs)).toHaveLength(1);
    });
  });
}
