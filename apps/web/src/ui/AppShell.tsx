import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useSignedInSession } from '../auth/use-session';
import type { ConnectionState } from '../realtime/use-order-socket';
import { ConnectionIndicator } from './ConnectionIndicator';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}

/** Header with brand, section navigation, live-connection state and the signed-in user. */
export function AppShell({
  nav,
  connection,
  children,
}: {
  nav: readonly NavItem[];
  connection: ConnectionState;
  children: ReactNode;
}) {
  const { session, signOut } = useSignedInSession();
  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <span className="brand">
            <span className="brand__mark" aria-hidden="true">
              ✓
            </span>
            OrderTrack
            <span className="brand__role">{session.user.role === 'ADMIN' ? 'Operations' : 'My orders'}</span>
          </span>
          <ConnectionIndicator state={connection} />
          <div className="topbar__user">
            <span className="topbar__name" title={session.user.email}>
              {session.user.name}
            </span>
            <button type="button" className="button button--ghost" onClick={() => signOut('signed-out')}>
              Sign out
            </button>
          </div>
        </div>
        {nav.length > 1 && (
          <nav className="tabs" aria-label="Sections">
            {nav.map((item) => (
              <NavLink key={item.to} to={item.to} end={item.end ?? false} className="tabs__link">
                {item.label}
              </NavLink>
            ))}
          </nav>
        )}
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
