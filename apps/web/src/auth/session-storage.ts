import { AuthResponse } from '@ordertrack/shared';

const STORAGE_KEY = 'ordertrack.session';

export interface Session extends AuthResponse {
  /** When the access token stops being accepted (epoch ms), read from its `exp` claim. */
  expiresAt: number;
}

/** Reads the `exp` claim of a JWT without verifying it: the server verifies, the client only plans ahead. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    const exp = typeof json === 'object' && json !== null && 'exp' in json ? json.exp : undefined;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export function sessionFromAuth(auth: AuthResponse): Session {
  // A token without `exp` is treated as good for an hour; the server's 401 is the final word either way.
  return { ...auth, expiresAt: tokenExpiry(auth.accessToken) ?? Date.now() + 3_600_000 };
}

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (raw === null) return undefined;
  try {
    const auth = AuthResponse.safeParse(JSON.parse(raw));
    if (!auth.success) return undefined;
    const session = sessionFromAuth(auth.data);
    return session.expiresAt > Date.now() ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session === undefined) {
    sessionStorage.removeItem(STORAGE_KEY);
  } else {
    const stored: AuthResponse = { accessToken: session.accessToken, user: session.user };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  }
}
