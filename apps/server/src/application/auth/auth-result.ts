import type { AuthResponse } from '@ordertrack/shared';
import type { UserRecord } from '../ports/user-store.port.js';
import type { TokenService } from '../ports/security.port.js';

export async function authResult(user: UserRecord, tokens: TokenService): Promise<AuthResponse> {
  return {
    accessToken: await tokens.issue({ userId: user.id, role: user.role }),
    user: { id: user.id, name: user.name, email: user.email, role: user.role },
  };
}
