/** Who the audit log names for what the recorder does on its own, with nobody logged in (demo camera, retention). */
export const SYSTEM_ACTOR = { id: null, username: 'system' } as const;
