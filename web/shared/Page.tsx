import { useEffect, useRef, type ReactNode } from 'react';

/** Page frame: sets the document title and moves focus to the heading on arrival. */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Vigil`;
    heading.current?.focus();
  }, [title]);
  return (
    <main className="page">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </main>
  );
}
