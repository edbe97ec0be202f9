import { useEffect, useState } from 'react';

export type Route = 'home' | 'change-password' | 'sessions' | 'two-factor' | 'users' | 'cameras' | 'live' | 'playback' | 'security' | 'recovery' | 'audit' | 'recover';

function parse(hash: string): Route {
  switch (hash.replace(/^#\/?/, '')) {
    case 'change-password':
      return 'change-password';
    case 'sessions':
      return 'sessions';
    case 'two-factor':
      return 'two-factor';
    case 'users':
      return 'users';
    case 'cameras':
      return 'cameras';
    case 'live':
      return 'live';
    case 'playback':
      return 'playback';
    case 'security':
      return 'security';
    case 'recovery':
      return 'recovery';
    case 'audit':
      return 'audit';
    case 'recover':
      return 'recover';
    default:
      return 'home';
  }
}

/** The signed-in pages live under hash routes: #/, #/change-password, #/sessions, #/two-factor, #/users, #/cameras, #/live, #/playback, #/security, #/recovery, #/audit;
 * and one before login: #/recover, the "Forgot password?" wizard. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function goHome(): void {
  if (window.location.hash !== '' && window.location.hash !== '#/') window.location.hash = '#/';
}
