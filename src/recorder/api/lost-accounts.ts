/**
 * The first question of every recovery: which password was lost? Only the recorder admin is
 * recovered here; for the others the wizard says where to go.
 */
export type LostAccount = 'admin' | 'user' | 'camera' | 'console' | 'cloud';

export interface LostAccountOption {
  id: LostAccount;
  label: string;
  /** Where to go instead: every account but the recorder admin is recovered elsewhere. */
  advice?: string;
  /** Offered only where this recorder uses that part: a choice for an account nobody has only confuses. */
  onlyWhen?: keyof PartsInUse;
}

/** The other parts of Vigil this recorder works with, as far as it knows. */
export interface PartsInUse {
  /** Bound to a cloud account (its `cloud` recovery path is then set up). */
  cloudBound: boolean;
  /** Paired with a Vigil Console. */
  consolePaired: boolean;
}

export const LOST_ACCOUNTS: readonly LostAccountOption[] = [
  { id: 'admin', label: "This recorder's admin password" },
  {
    id: 'user',
    label: 'Another user of this recorder (operator, viewer)',
    advice:
      'Ask an admin of this recorder to reset your password (Users → Reset password). You get a one-time password that you change at your first login.',
  },
  {
    id: 'camera',
    label: "A camera's own login",
    advice:
      "A camera's password belongs to the camera: reset it with the camera's own reset button or its maker's tool, then give the recorder the new credentials in the camera's settings.",
  },
  {
    id: 'console',
    label: 'The Vigil Console',
    advice: "The console has its own account and its own recovery: use \"Forgot password?\" in the console (vigil console), not here.",
    onlyWhen: 'consolePaired',
  },
  {
    id: 'cloud',
    label: 'The cloud account',
    advice: 'Use "Forgot password?" on the cloud service\'s sign-in page: your recorder cannot reset a cloud account.',
    onlyWhen: 'cloudBound',
  },
];

/** The answers the first question offers on this recorder. */
export function offeredLostAccounts(parts: PartsInUse): LostAccountOption[] {
  return LOST_ACCOUNTS.filter((account) => account.onlyWhen === undefined || parts[account.onlyWhen]);
}
