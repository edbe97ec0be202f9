import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Me } from './api.js';
import type { Route } from './useHashRoute.js';

export interface NavLink {
  route: Route;
  text: string;
}

/** What a person comes for first (watching, finding, the cameras), then settings and their own account, grouped. */
export interface NavPlan {
  primary: NavLink[];
  groups: { label: string; links: NavLink[] }[];
}

const canManageUsers = (me: Me) => me.permissions.device.includes('manage_users');
/**
 * Sees cameras (every role's defaults include some on all cameras) or may add them. Me carries
 * the rights on all cameras only; a right on one camera alone shows in the list's answer.
 */
export const mayUseCameras = (me: Me) => me.permissions.allCameras.length > 0 || me.permissions.device.includes('settings');
/** Live and Playback are offered to those who may watch or play back every camera (every role's defaults); the pages list the cameras the recorder lets through. */
export const mayUseCamera = (me: Me, action: 'live' | 'playback') => me.permissions.allCameras.includes(action);

/** The routes this person may open and where each sits in the menu; App refuses the others with the home page. */
export function navPlan(me: Me): NavPlan {
  const admin = me.user.role === 'admin';
  const primary: NavLink[] = [{ route: 'home', text: 'Home' }];
  if (mayUseCamera(me, 'live')) primary.push({ route: 'live', text: 'Live' });
  if (mayUseCamera(me, 'playback')) primary.push({ route: 'playback', text: 'Playback' });
  if (mayUseCameras(me)) primary.push({ route: 'cameras', text: 'Cameras' });
  const settings: NavLink[] = [];
  if (canManageUsers(me)) settings.push({ route: 'users', text: 'Users' });
  if (admin) settings.push({ route: 'security', text: 'Security' }, { route: 'recovery', text: 'Recovery' }, { route: 'audit', text: 'Audit log' });
  const account: NavLink[] = [
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

/**
 * The top bar's navigation: on a wide screen the main pages in a row and the groups as drop-downs;
 * on a narrow one everything behind a "Menu" button. Disclosure buttons (not an ARIA menu), so Tab,
 * Enter and Escape work as on any page; `route` null means a page outside the navigation (the
 * forced password change), where only "Log out" is offered.
 */
export function MainNav({ route, me, onLogout }: { route: Route | null; me: Me; onLogout: () => void }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  const nav = useRef<HTMLElement>(null);

  // Arriving on a page closes whatever was open.
  useEffect(() => {
    setMenuOpen(false);
    setOpenGroup(null);
  }, [route]);

  // A click anywhere else closes it too, as a drop-down does.
  useEffect(() => {
    if (!menuOpen && openGroup === null) return;
    const close = (event: PointerEvent) => {
      if (!nav.current?.contains(event.target as Node)) {
        setMenuOpen(false);
        setOpenGroup(null);
      }
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [menuOpen, openGroup]);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    // Escape closes the innermost open part and gives focus back to its button.
    if (openGroup !== null) {
      nav.current?.querySelector<HTMLButtonElement>(`[data-group="${openGroup}"]`)?.focus();
      setOpenGroup(null);
    } else if (menuOpen) {
      nav.current?.querySelector<HTMLButtonElement>('.menu-toggle')?.focus();
      setMenuOpen(false);
    }
  }

  const plan = navPlan(me);
  const link = ({ route: to, text }: NavLink) => (
    <li key={to}>
      <a href={href(to)} aria-current={route === to ? 'page' : undefined}>
        {text}
      </a>
    </li>
  );

  return (
    <nav aria-label="Main" ref={nav} onKeyDown={onKeyDown}>
      {route !== null && (
        <>
          <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="main-menu" onClick={() => setMenuOpen(!menuOpen)}>
            Menu
          </button>
          <ul id="main-menu" className="nav-links" data-open={menuOpen}>
            {plan.primary.map(link)}
            {plan.groups.map((group) => {
              const id = `nav-${group.label.toLowerCase().replace(/\s+/g, '-')}`;
              const open = openGroup === group.label;
              const current = group.links.some((l) => l.route === route);
              return (
                <li key={group.label} className="nav-group" data-current={current}>
                  <button
                    type="button"
                    data-group={group.label}
                    aria-expanded={open}
                    aria-controls={id}
                    onClick={() => setOpenGroup(open ? null : group.label)}
                  >
                    {group.label}
                  </button>
                  <ul id={id} hidden={!open}>
                    {group.links.map(link)}
                  </ul>
                </li>
              );
            })}
          </ul>
        </>
      )}
      <span className="who" title={me.user.username}>
        {me.user.username}
      </span>
      <button type="button" className="logout" onClick={onLogout}>
        Log out
      </button>
    </nav>
  );
}
