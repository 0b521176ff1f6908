import type { AuthResponse } from '@ordertrack/shared';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from '../api/api-client';
import { loadSession, saveSession, sessionFromAuth, type Session } from './session-storage';

/** Why the user is back on the sign-in page, shown there as a notice. */
export type SignOutReason = 'signed-out' | 'expired';

export interface SessionContextValue {
  session: Session | undefined;
  signOutReason: SignOutReason | undefined;
  api: ApiClient;
  signIn: (auth: AuthResponse) => void;
  signOut: (reason: SignOutReason) => void;
}

export const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [signOutReason, setSignOutReason] = useState<SignOutReason | undefined>(undefined);
  const tokenRef = useRef(session?.accessToken);
  tokenRef.current = session?.accessToken;

  const signOut = useCallback(
    (reason: SignOutReason) => {
      tokenRef.current = undefined;
      saveSession(undefined);
      setSession(undefined);
      setSignOutReason(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback((auth: AuthResponse) => {
    const next = sessionFromAuth(auth);
    tokenRef.current = next.accessToken;
    saveSession(next);
    setSignOutReason(undefined);
    setSession(next);
  }, []);

  const api = useMemo(
    () =>
      createApiClient({
        getToken: () => tokenRef.current,
        onUnauthorized: () => signOut('expired'),
      }),
    [signOut],
  );

  // Leave before the server starts refusing the token, rather than failing on the next click.
  useEffect(() => {
    if (session === undefined) return;
    const timer = window.setTimeout(() => signOut('expired'), Math.max(0, session.expiresAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [session, signOut]);

  const value = useMemo(
    () => ({ session, signOutReason, api, signIn, signOut }),
    [session, signOutReason, api, signIn, signOut],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}
