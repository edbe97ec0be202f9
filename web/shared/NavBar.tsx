import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface NavLink<R extends string> {
  route: R;
  text: string;
}

/** What a person comes for first in a row, then the rest grouped (settings, their own account). */
export interface NavPlan<R extends string> {
  primary: NavLink<R>[];
  groups: { label: string; links: NavLink<R>[] }[];
}

interface Props<R extends string> {
  plan: NavPlan<R>;
  /** The page shown; null for a page outside the navigation, where only "Log out" is offered. */
  route: R | null;
  href: (route: R) => string;
  /** Who is logged in, at the right of the bar. */
  who: string;
  onLogout: () => void;
}

/**
 * The top bar's navigation: on a wide screen the main pages in a row and the groups as drop-downs;
 * on a narrow one everything behind a "Menu" button. Disclosure buttons (not an ARIA menu), so Tab,
 * Enter and Escape work as on any page.
 */
export function NavBar<R extends string>({ plan, route, href, who, onLogout }: Props<R>) {
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

  const link = ({ route: to, text }: NavLink<R>) => (
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
      <span className="who" title={who}>
        {who}
      </span>
      <button type="button" className="logout" onClick={onLogout}>
        Log out
      </button>
    </nav>
  );
}
