import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ActivityPage } from './ActivityPage.js';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { NavBar, type NavPlan } from '../shared/NavBar.js';
import { Page } from '../shared/Page.js';
import { Shell } from '../shared/Shell.js';
import { goHome, useHashPath } from '../shared/useHashPath.js';
import { addressText } from './address.js';
import { api, setSessionEndedHandler, type Account } from './api.js';
import { ForgotPasswordPage } from './ForgotPasswordPage.js';
import { LoginPage } from './LoginPage.js';
import { OfflineResetPage } from './OfflineResetPage.js';
import { SecurityPage } from './SecurityPage.js';
import { TwoFactorPage } from './TwoFactorPage.js';
import { SignUpPage } from './SignUpPage.js';

/**
 * The cloud's UI is a small state machine: loading → (failed | signed out | signed in). Signed out,
 * the URL hash picks the login (#/), the sign-up (#/signup) or the forgotten password (#/forgot);
 * signed in, the page.
 */
type State =
  | { kind: 'loading' }
  | { kind: 'failed'; error: ShownError }
  | { kind: 'signed-out'; notice: ReactNode; address?: string }
  | { kind: 'signed-in'; account: Account };

type Route = 'offline-reset' | 'security' | 'two-factor' | 'activity';

/** The recorders first (what an owner comes for), then the account's own security, grouped. */
const NAV: NavPlan<Route> = {
  primary: [{ route: 'offline-reset', text: 'Reset a recorder' }],
  groups: [
    {
      label: 'My security',
      links: [
        { route: 'security', text: 'Password and sessions' },
        { route: 'two-factor', text: 'Two-step login' },
        { route: 'activity', text: 'Account activity' },
      ],
    },
  ],
};

const ROUTES = [...NAV.primary, ...NAV.groups.flatMap((group) => group.links)].map((link) => link.route);

const href = (route: Route) => `#/${route}`;

/** The signed-in page a hash names; the first one for any other. */
function signedInRoute(path: string): Route {
  return ROUTES.find((route) => route === path) ?? ROUTES[0]!;
}

const BRAND = 'Vigil cloud';

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const path = useHashPath();

  const signIn = useCallback(async (signedOut: State) => {
    try {
      const account = await api.getAccount();
      setState(account ? { kind: 'signed-in', account } : signedOut);
    } catch (err) {
      setState({ kind: 'failed', error: describeError(err) });
    }
  }, []);

  useEffect(() => {
    void signIn({ kind: 'signed-out', notice: null });
  }, [signIn]);

  // Any request refused for the want of a session: it ended (idle, expired, or ended from another browser).
  useEffect(() => {
    setSessionEndedHandler(() =>
      setState((s) =>
        s.kind === 'signed-in' ? { kind: 'signed-out', notice: 'Your session ended: log in again.', address: s.account.email ?? s.account.phone ?? undefined } : s,
      ),
    );
  }, []);

  /** Reads the account again after a change to it (two-step login on or off). */
  async function reloadAccount() {
    const account = await api.getAccount();
    if (account) setState({ kind: 'signed-in', account });
  }

  async function logOut() {
    try {
      await api.logOut();
    } catch {
      // Whatever the cloud says, this browser is no longer signed in from the UI's point of view.
    }
    goHome();
    setState({ kind: 'signed-out', notice: 'You have logged out.' });
  }

  switch (state.kind) {
    case 'loading':
      return (
        <Shell brand={BRAND}>
          <p className="page muted" aria-busy="true">
            Connecting to the cloud…
          </p>
        </Shell>
      );
    case 'failed':
      return (
        <Shell brand={BRAND}>
          <Page title="Cannot reach the cloud">
            <ErrorAlert error={state.error} />
            <button type="button" onClick={() => void signIn({ kind: 'signed-out', notice: null })}>
              Try again
            </button>
          </Page>
        </Shell>
      );
    case 'signed-out':
      return (
        <Shell brand={BRAND}>
          {path === 'forgot' ? (
            <ForgotPasswordPage
              onReset={(address) => {
                goHome();
                setState({ kind: 'signed-out', address, notice: 'Your new password is set: log in with it.' });
              }}
            />
          ) : path === 'signup' ? (
            <SignUpPage
              onVerified={(address) => {
                goHome();
                setState({ kind: 'signed-out', address: addressText(address), notice: 'Your address is verified and your account is ready: log in.' });
              }}
            />
          ) : (
            // A new key for a new notice: the page starts again with it.
            <LoginPage
              key={String(state.notice)}
              notice={state.notice}
              initialAddress={state.address}
              onLoggedIn={() => void signIn({ kind: 'signed-out', notice: 'Your session ended at once: log in again.' })}
            />
          )}
        </Shell>
      );
    case 'signed-in': {
      const route = signedInRoute(path);
      const { account } = state;
      const who = account.email ?? account.phone ?? '';
      return (
        <Shell brand={BRAND} nav={<NavBar plan={NAV} route={route} href={href} who={who} onLogout={() => void logOut()} />}>
          {route === 'offline-reset' && <OfflineResetPage />}
          {route === 'security' && <SecurityPage account={account} />}
          {route === 'two-factor' && <TwoFactorPage account={account} reload={reloadAccount} />}
          {route === 'activity' && <ActivityPage />}
        </Shell>
      );
    }
  }
}
