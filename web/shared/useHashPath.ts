import { useEffect, useState } from 'react';

const pathOf = (hash: string) => hash.replace(/^#\/?/, '');

/** The page named by the URL's hash (`#/sessions` → `sessions`, `#/` or none → ``), following its changes. */
export function useHashPath(): string {
  const [path, setPath] = useState(() => pathOf(window.location.hash));
  useEffect(() => {
    const update = () => setPath(pathOf(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

export function goHome(): void {
  if (window.location.hash !== '' && window.location.hash !== '#/') window.location.hash = '#/';
}
