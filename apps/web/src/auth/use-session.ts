import { use } from 'react';
import { SessionContext, type SessionContextValue } from './session-context';
import type { Session } from './session-storage';

export function useSession(): SessionContextValue {
  const value = use(SessionContext);
  if (value === undefined) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** For pages behind a sign-in guard: the session is known to exist there. */
export function useSignedInSession(): SessionContextValue & { session: Session } {
  const value = useSession();
  if (value.session === undefined) throw new Error('useSignedInSession used without a session');
  return { ...value, session: value.session };
}
