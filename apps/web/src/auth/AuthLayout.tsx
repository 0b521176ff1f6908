import type { ReactNode } from 'react';

export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="auth">
      <section className="auth__card" aria-labelledby="auth-title">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            ✓
          </span>
          OrderTrack
        </div>
        <h1 id="auth-title">{title}</h1>
        <p className="muted">{subtitle}</p>
        {children}
      </section>
    </main>
  );
}
