import type { Role } from '@ordertrack/shared';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { useSession } from './auth/use-session';
import { CustomerDashboard } from './customer/CustomerDashboard';

// Charts and admin tools are only downloaded by admins.
const AdminDashboard = lazy(() => import('./admin/AdminDashboard'));

const HOME: Readonly<Record<Role, string>> = { CUSTOMER: '/customer', ADMIN: '/admin' };

function useHome(): string {
  const { session } = useSession();
  return session === undefined ? '/sign-in' : HOME[session.user.role];
}

/** Signed-out visitors go to sign-in; a user of the other role goes to their own dashboard. */
function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { session } = useSession();
  const home = useHome();
  return session?.user.role === role ? children : <Navigate to={home} replace />;
}

function SignedOutOnly({ children }: { children: ReactNode }) {
  const { session } = useSession();
  const home = useHome();
  return session === undefined ? children : <Navigate to={home} replace />;
}

export function App() {
  const home = useHome();
  return (
    <Routes>
      <Route
        path="/sign-in"
        element={
          <SignedOutOnly>
            <SignInPage />
          </SignedOutOnly>
        }
      />
      <Route
        path="/sign-up"
        element={
          <SignedOutOnly>
            <SignUpPage />
          </SignedOutOnly>
        }
      />
      <Route
        path="/customer"
        element={
          <RequireRole role="CUSTOMER">
            <CustomerDashboard />
          </RequireRole>
        }
      />
      <Route
        path="/admin/*"
        element={
          <RequireRole role="ADMIN">
            <Suspense fallback={<p className="loading">Loading dashboard…</p>}>
              <AdminDashboard />
            </Suspense>
          </RequireRole>
        }
      />
      <Route path="*" element={<Navigate to={home} replace />} />
    </Routes>
  );
}
