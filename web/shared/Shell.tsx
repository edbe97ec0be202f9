import type { ReactNode } from 'react';

/** Every page of a Vigil UI: the top bar with the product's name and the navigation, then the page. */
export function Shell({ brand, nav, children }: { brand: string; nav?: ReactNode; children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <span className="brand">{brand}</span>
        {nav}
      </header>
      {children}
    </>
  );
}
