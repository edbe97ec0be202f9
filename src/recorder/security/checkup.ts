import { isLoopbackHost } from '../../shared/listen-address.js';
import { passwordAgeDays } from '../accounts/password-age.js';
import type { RecoveryReadiness } from '../api/recovery-methods.js';

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  advice: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** Passwords older than this are mentioned (low) even when no maximum age is set. */
export const OLD_PASSWORD_DAYS = 365;

/** Everything the checkup looks at; gathered by the caller, so the checkup itself is pure. */
export interface DeviceSecurityState {
  now: number;
  accounts: {
    username: string;
    role: string;
    passwordChangedAt: number;
    /** Whether the account logs in with a second factor. */
    twoFactorEnabled: boolean;
  }[];
  /** Which recovery paths are set up, and how strong they are. */
  recovery: RecoveryReadiness;
  /** How the daemon serves, and the address people are told to use. */
  transport: { https: boolean; listenHost: string; externalUrl: string | null };
  maxPasswordAgeDays: number | null;
  allowListEnabled: boolean;
  /** Security mail is enabled and has a server. */
  mailEnabled: boolean;
}

function names(accounts: { username: string }[]): string {
  return accounts.map((a) => a.username).join(', ');
}

/** Plain HTTP is fine on loopback only; an external http:// URL on another host means a proxy or LAN without TLS. */
function servesPlainHttpOffLoopback(transport: DeviceSecurityState['transport']): boolean {
  if (!transport.https && !isLoopbackHost(transport.listenHost)) return true;
  if (!transport.externalUrl) return false;
  const url = new URL(transport.externalUrl);
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''));
}

/** Pure: what weakens this device, most serious first. An empty list means nothing was found. */
export function securityCheckup(state: DeviceSecurityState): Finding[] {
  const findings: Finding[] = [];
  const adminsWithout2fa = state.accounts.filter((a) => a.role === 'admin' && !a.twoFactorEnabled);
  if (adminsWithout2fa.length > 0) {
    findings.push({
      id: 'admin_without_2fa',
      severity: 'high',
      title: `Admin accounts without two-step login: ${names(adminsWithout2fa)}`,
      advice: 'A stolen admin password is enough to take this recorder over. Turn on two-step login for every admin.',
    });
  }
  if (servesPlainHttpOffLoopback(state.transport)) {
    findings.push({
      id: 'plain_http',
      severity: 'high',
      title: 'The recorder is reached over plain HTTP on the network',
      advice: 'Passwords and session cookies cross the network readable by anyone on the way. Serve HTTPS, and give an https:// external URL.',
    });
  }
  if (state.recovery.level === 'none') {
    findings.push({
      id: 'no_recovery_path',
      severity: 'medium',
      title: 'No recovery path is set up',
      advice: 'If the admin password is lost, only the reset button with the label code or a factory reset can get you back in. Download a recovery key file and set up a reserved email.',
    });
  } else if (state.recovery.level === 'weak_only') {
    findings.push({
      id: 'only_weak_recovery',
      severity: 'medium',
      title: `Only weak recovery paths are set up: ${state.recovery.configured.join(', ')}`,
      advice: 'A mailbox, a phone or the answers to questions can fall into other hands, and work only from the LAN. Also download a recovery key file and keep it offline.',
    });
  }
  const maxDays = state.maxPasswordAgeDays ?? OLD_PASSWORD_DAYS;
  const old = state.accounts.filter((a) => passwordAgeDays(a.passwordChangedAt, state.now) > maxDays);
  if (old.length > 0) {
    findings.push({
      id: 'old_passwords',
      severity: state.maxPasswordAgeDays === null ? 'low' : 'medium',
      title: `Passwords older than ${maxDays} days: ${names(old)}`,
      advice: 'Old passwords are more likely to have leaked or been reused elsewhere. Ask these users to choose a new one.',
    });
  }
  if (!state.mailEnabled) {
    findings.push({
      id: 'mail_not_configured',
      severity: 'medium',
      title: 'Security mail is off',
      advice: 'Nobody is told about new logins, password changes or lockouts. Set up a mail server and a notification address per user.',
    });
  }
  if (!state.allowListEnabled) {
    findings.push({
      id: 'allow_list_off',
      severity: 'low',
      title: 'Logins are accepted from any address',
      advice: 'If people only log in from known networks, list them: logins from elsewhere are then refused (the local console always works).',
    });
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
