import { useHashPath } from '../shared/useHashPath.js';

export { goHome } from '../shared/useHashPath.js';

export type Route = 'home' | 'change-password' | 'sessions' | 'two-factor' | 'users' | 'cameras' | 'live' | 'playback' | 'security' | 'recovery' | 'audit' | 'storage' | 'recover';

function parse(path: string): Route {
  switch (path) {
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
    case 'storage':
      return 'storage';
    case 'recover':
      return 'recover';
    default:
      return 'home';
  }
}

/** The signed-in pages live under hash routes: #/, #/change-password, #/sessions, #/two-factor, #/users, #/cameras, #/live, #/playback, #/security, #/recovery, #/audit, #/storage;
 * and one before login: #/recover, the "Forgot password?" wizard. */
export function useHashRoute(): Route {
  return parse(useHashPath());
}
