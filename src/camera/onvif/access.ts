import type { UserLevel } from '../accounts/levels.js';

/**
 * Who may call what (ONVIF Core 5.9.4's access classes, for the operations this camera serves):
 * PRE_AUTH for anyone, READ_MEDIA and READ_SYSTEM for every level, READ_SYSTEM_SECRET and
 * UNRECOVERABLE/WRITE_SYSTEM (users, reboot) for Administrators only. Pure.
 */
export type Required = 'anyone' | UserLevel;

const RANK: Record<UserLevel, number> = { User: 1, Operator: 2, Administrator: 3 };

export function mayCall(level: UserLevel, required: Required): boolean {
  return required === 'anyone' || RANK[level] >= RANK[required];
}
