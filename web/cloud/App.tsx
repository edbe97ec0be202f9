import { useState, type ReactNode } from 'react';
import { Page } from '../shared/Page.js';
import { Shell } from '../shared/Shell.js';
import { goHome, useHashPath } from '../shared/useHashPath.js';
import { LoginPage } from './LoginPage.js';
import { SignUpPage } from './SignUpPage.js';

/**
 * The cloud's UI: signed out (log in, or #/signup), then signed in. The pages before login
 * follow the URL hash so that the browser's Back button works between them.
 */
type State = { kind: 'signed-out'; notice: ReactNode; email?: string } | { kind: 'signed-in'; email: string };

export function App() {
  const [state, setState] = useState<State>({ kind: 'signed-out', notice: null });
  const path = useHashPath();

  if (state.kind === 'signed-in') {
    return (
      <Shell brand="Vigil cloud">
        <Page title="Your account">
          <p>
            You are logged in as <strong className="address">{state.email}</strong>.
          </p>
        </Page>
      </Shell>
    );
  }
  return (
    <Shell brand="Vigil cloud">
      {path === 'signup' ? (
        <SignUpPage
          onVerified={(email) => {
            goHome();
            setState({ kind: 'signed-out', email, notice: 'Your address is verified and your account is ready: log in.' });
          }}
        />
      ) : (
        // A new key when the notice changes: the page starts again with it.
        <LoginPage key={String(state.notice)} notice={state.notice} initialEmail={state.email} onLoggedIn={(email) => setState({ kind: 'signed-in', email })} />
      )}
    </Shell>
  );
}
