/**
 * The first question of every recovery: which password was lost? Only the recorder admin is
 * recovered here; for the others the wizard says where to go.
 */
export type LostAccount = 'admin' | 'user' | 'camera' | 'console' | 'cloud';

/** A second question, when where to go depends on the answer; each answer ends in its advice. */
export interface FollowUpQuestion {
  question: string;
  answers: readonly { id: string; label: string; advice: string }[];
}

export interface LostAccountOption {
  id: LostAccount;
  label: string;
  /** Where to go instead: every account but the recorder admin is recovered elsewhere. */
  advice?: string;
  /** Where to go depends on one more answer. */
  followUp?: FollowUpQuestion;
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
    followUp: {
      question: 'Does this recorder record the camera?',
      answers: [
        {
          id: 'held',
          label: 'Yes: the camera is on the Cameras page and records',
          advice:
            'This recorder keeps the camera\'s password (it chose it when it activated the camera, or was given it). An admin logs in and opens Cameras: "Show password" shows it once, after the admin\'s own password again (and the second step, with two-step login); the password can also be changed there. If the admin password is lost too, recover it first: start again and choose "This recorder\'s admin password".',
        },
        {
          id: 'not_held',
          label: 'No, or the Cameras page says the camera refuses its password',
          advice:
            "Use the camera's own reset button. A short press, then the label code from the camera's sticker, sets a new password for its admin and keeps its configuration: give the recorder that password in the camera's settings (Cameras, Edit). A long press is a factory reset: the camera forgets its accounts and settings and waits for activation; activate it again from the recorder (Cameras, Find cameras on the network, Activate, with the label code) and the recorder chooses its new password.",
        },
      ],
    },
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
