import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ActivatePage } from './ActivatePage.js';
import { AuditPage } from './audit/AuditPage.js';
import { api, setSessionEndedHandler, type Device, type Me } from './api.js';
import { CamerasPage } from './cameras/CamerasPage.js';
import { ChangePasswordPage } from './ChangePasswordPage.js';
import { ErrorAlert } from '../shared/ErrorAlert.js';
import { describeError, type ShownError } from './errors.js';
import { HomePage } from './HomePage.js';
import { LivePage } from './live/LivePage.js';
import { LoginPage } from './LoginPage.js';
import { MainNav, mayOpen } from './MainNav.js';
import { Page } from '../shared/Page.js';
import { Shell } from '../shared/Shell.js';
import { PlaybackPage } from './playback/PlaybackPage.js';
import { RecoverySettingsPage } from './recovery/RecoverySettingsPage.js';
import { RecoveryWizard } from './recovery/RecoveryWizard.js';
import { SecurityPage } from './SecurityPage.js';
import { SessionsPage } from './SessionsPage.js';
import { StoragePage } from './storage/StoragePage.js';
import { UsersPage } from './UsersPage.js';
import { TwoFactorPage } from './TwoFactorPage.js';
import { goHome, useHashRoute, type Route } from './useHashRoute.js';

/**
 * The whole UI is a small state machine:
 * loading → (failed | activate | login | signed in), and the signed-in pages follow the URL hash.
 */
type State =
  | { kind: 'loading' }
  | { kind: 'failed'; error: ShownError }
  | { kind: 'activate'; device: Device }
  | { kind: 'login'; device: Device; notice: ReactNode; username?: string }
  /** mustEnrol: the admin requires 2FA and this user has none yet, so only its set-up is open. */
  | { kind: 'signed-in'; device: Device; me: Me; mustEnrol: boolean };

async function signedIn(device: Device, me: Me): Promise<State> {
  // With a one-time password nothing but the password change answers; 2FA set-up comes after it.
  const mustEnrol = !me.passwordChangeRequired && (await api.getTwoFactor()).enrolmentRequired;
  return { kind: 'signed-in', device, me, mustEnrol };
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const route = useHashRoute();

  const start = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const device = await api.getDevice();
      if (!device.activated) {
        setState({ kind: 'activate', device });
      } else {
        const me = await api.getMe();
        setState(me ? await signedIn(device, me) : { kind: 'login', device, notice: null });
      }
    } catch (err) {
      setState({ kind: 'failed', error: describeError(err) });
    }
  }, []);

  useEffect(() => {
    void start();
  }, [start]);

  // Any 401 `unauthenticated` on a signed-in call: idle timeout, absolute timeout or revoked.
  useEffect(() => {
    setSessionEndedHandler(() =>
      setState((s) =>
        s.kind === 'signed-in'
          ? { kind: 'login', device: s.device, notice: 'Your session ended, please log in again.', username: s.me.user.username }
          : s,
      ),
    );
  }, []);

  async function logout(device: Device) {
    try {
      await api.logout();
    } catch {
      // Whatever the server says, this browser is no longer signed in from the UI's point of view.
    }
    goHome();
    setState({ kind: 'login', device, notice: 'You have logged out.' });
  }

  switch (state.kind) {
    case 'loading':
      return (
        <Shell brand="Vigil">
          <p className="page muted" aria-busy="true">
            Connecting to the recorder…
          </p>
        </Shell>
      );
    case 'failed':
      return (
        <Shell brand="Vigil">
          <Page title="Cannot reach the recorder">
            <ErrorAlert error={state.error} />
            <button type="button" onClick={() => void start()}>
              Try again
            </button>
          </Page>
        </Shell>
      );
    case 'activate':
      return (
        <Shell brand="Vigil">
          <ActivatePage
            device={state.device}
            onActivated={(username) =>
              setState({
                kind: 'login',
                device: { ...state.device, activated: true },
                username,
                notice: (
                  <>
                    Your recorder is activated. Log in as <strong>{username}</strong> with the password you just chose.
                  </>
                ),
              })
            }
          />
        </Shell>
      );
    case 'login':
      if (route === 'recover') {
        return (
          <Shell brand="Vigil">
            <RecoveryWizard
              device={state.device}
              onCancel={goHome}
              onFinished={(username) => {
                goHome();
                setState({ kind: 'login', device: state.device, username, notice: 'Your new password is set. Log in with it.' });
              }}
            />
          </Shell>
        );
      }
      return (
        <Shell brand="Vigil">
          <LoginPage
            notice={state.notice}
            initialUsername={state.username}
            onLoggedIn={(me) => void signedIn(state.device, me).then(setState, (err: unknown) => setState({ kind: 'failed', error: describeError(err) }))}
          />
        </Shell>
      );
    case 'signed-in':
      if (state.me.passwordChangeRequired) {
        // Logged in with a one-time password: the recorder refuses everything else until it is replaced.
        const me = state.me;
        return (
          <Shell brand="Vigil" nav={<MainNav route={null} me={me} onLogout={() => void logout(state.device)} />}>
            <ChangePasswordPage
              device={state.device}
              me={me}
              forced={{
                onChanged: () => {
                  goHome();
                  void signedIn(state.device, { ...me, passwordChangeRequired: false }).then(setState);
                },
              }}
            />
          </Shell>
        );
      }
      return (
        <Shell brand="Vigil" nav={<MainNav route={route} me={state.me} onLogout={() => void logout(state.device)} />}>
          {state.mustEnrol ? (
            <TwoFactorPage me={state.me} onEnabled={() => setState({ ...state, mustEnrol: false })} />
          ) : (
            <SignedInPage route={route} device={state.device} me={state.me} />
          )}
        </Shell>
      );
  }
}

function SignedInPage({ route, device, me }: { route: Route; device: Device; me: Me }) {
  // A page this person may not open (the server refuses its calls anyway) is not offered: home instead.
  if (!mayOpen(me, route)) return <HomePage device={device} me={me} />;
  switch (route) {
    case 'home':
    case 'recover': // never offered once logged in: nothing to recover
      return <HomePage device={device} me={me} />;
    case 'change-password':
      return <ChangePasswordPage device={device} me={me} />;
    case 'sessions':
      return <SessionsPage />;
    case 'two-factor':
      return <TwoFactorPage me={me} />;
    case 'security':
      return <SecurityPage />;
    case 'users':
      return <UsersPage me={me} />;
    case 'cameras':
      return <CamerasPage me={me} />;
    case 'live':
      return <LivePage />;
    case 'playback':
      return <PlaybackPage />;
    case 'recovery':
      return <RecoverySettingsPage me={me} />;
    case 'audit':
      return <AuditPage />;
    case 'storage':
      return <StoragePage />;
  }
}

