import type { LoginAttemptStore, LoginClientKey, StoredLoginAttempt } from '../../identity/lockout/attempt-store.js';

/**
 * The core's login-attempt port in memory: a camera keeps its lockout state in RAM, as real cameras
 * do (a reboot lifts locks; a reboot takes a minute and an administrator's login). Every method runs
 * without an `await` inside, so each is atomic on the one event loop.
 */
export function memoryLoginAttempts(): LoginAttemptStore {
  const rows: (StoredLoginAttempt & { id: number })[] = [];
  let nextId = 1;
  const sameClient = (row: LoginClientKey, key: LoginClientKey) =>
    row.accountKey === key.accountKey && row.kind === key.kind && row.clientId === key.clientId;
  const clientAttempts = (key: LoginClientKey, since: number) =>
    rows.filter((row) => sameClient(row, key) && row.at >= since).map(({ at, ok }) => ({ at, ok }));
  const unknownClientGuesses = (accountKey: string, since: number) =>
    rows.filter((row) => row.accountKey === accountKey && row.kind === 'address' && !row.ok && row.guess && row.at >= since).map((row) => row.at);
  const removeWhere = (drop: (row: StoredLoginAttempt & { id: number }) => boolean) => {
    for (let i = rows.length - 1; i >= 0; i--) if (drop(rows[i]!)) rows.splice(i, 1);
  };
  return {
    clientAttempts: async (key, since) => clientAttempts(key, since),
    unknownClientGuesses: async (accountKey, since) => unknownClientGuesses(accountKey, since),
    reserveFailure: async (key, at, guess, since) => {
      const id = nextId++;
      rows.push({ ...key, at, ok: false, guess, id });
      return { id: String(id), clientAttempts: clientAttempts(key, since.client), unknownClientGuesses: unknownClientGuesses(key.accountKey, since.guesses) };
    },
    withdrawFailure: async (key, id) => removeWhere((row) => row.id === Number(id) && sameClient(row, key) && !row.ok),
    recordSuccess: async (key, at) => {
      removeWhere((row) => sameClient(row, key));
      rows.push({ ...key, at, ok: true, guess: true, id: nextId++ });
    },
    attemptsSince: async (since) => rows.filter((row) => row.at >= since).map(({ id: _id, ...row }) => row),
    clearClient: async (key) => removeWhere((row) => sameClient(row, key)),
    forgiveUnknownGuesses: async (accountKey) => {
      for (const row of rows) if (row.accountKey === accountKey && row.kind === 'address') row.guess = false;
    },
    deleteBefore: async (at) => removeWhere((row) => row.at < at),
  };
}
