/** A titled group of the inspector. */
import type { ReactNode } from 'react';

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="snn-section" aria-label={title}>
      <header className="snn-section__title">
        <span>{title}</span>
        {actions}
      </header>
      <div className="snn-section__body">{children}</div>
    </section>
  );
}
