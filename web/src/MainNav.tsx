import { NavBar, type NavLink, type NavPlan } from '../shared/NavBar.js';
import type { Me } from './api.js';
import type { Route } from './useHashRoute.js';

const canManageUsers = (me: Me) => me.permissions.device.includes('manage_users');
/**
 * Sees cameras (every role's defaults include some on all cameras) or may add them. Me carries
 * the rights on all cameras only; a right on one camera alone shows in the list's answer.
 */
export const mayUseCameras = (me: Me) => me.permissions.allCameras.length > 0 || me.permissions.device.includes('settings');
/** Live and Playback are offered to those who may watch or play back every camera (every role's defaults); the pages list the cameras the recorder lets through. */
export const mayUseCamera = (me: Me, action: 'live' | 'playback') => me.permissions.allCameras.includes(action);

/**
 * What a person comes for first (watching, finding, the cameras), then settings and their own
 * account, grouped: the routes this person may open and where each sits in the menu; App refuses
 * the others with the home page.
 */
export function navPlan(me: Me): NavPlan<Route> {
  const admin = me.user.role === 'admin';
  const primary: NavLink<Route>[] = [{ route: 'home', text: 'Home' }];
  if (mayUseCamera(me, 'live')) primary.push({ route: 'live', text: 'Live' });
  if (mayUseCamera(me, 'playback')) primary.push({ route: 'playback', text: 'Playback' });
  if (mayUseCameras(me)) primary.push({ route: 'cameras', text: 'Cameras' });
  const settings: NavLink<Route>[] = [];
  if (canManageUsers(me)) settings.push({ route: 'users', text: 'Users' });
  if (admin) settings.push({ route: 'security', text: 'Security' }, { route: 'recovery', text: 'Recovery' }, { route: 'storage', text: 'Storage' }, { route: 'audit', text: 'Audit log' });
  const account: NavLink<Route>[] = [
    { route: 'change-password', text: 'Change password' },
    { route: 'sessions', text: 'My sessions' },
    { route: 'two-factor', text: 'Two-step login' },
  ];
  const groups = [
    ...(settings.length > 0 ? [{ label: 'Settings', links: settings }] : []),
    { label: 'My account', links: account },
  ];
  return { primary, groups };
}

export function mayOpen(me: Me, route: Route): boolean {
  const plan = navPlan(me);
  return [...plan.primary, ...plan.groups.flatMap((g) => g.links)].some((link) => link.route === route);
}

const href = (route: Route) => (route === 'home' ? '#/' : `#/${route}`);

/** The recorder's navigation for this person; `route` null on the forced password change, where only "Log out" is offered. */
export function MainNav({ route, me, onLogout }: { route: Route | null; me: Me; onLogout: () => void }) {
  return <NavBar plan={navPlan(me)} route={route} href={href} who={me.user.username} onLogout={onLogout} />;
}
