import type { Actor } from '../actor.js';

export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(password: string, stored: string): Promise<boolean>;
}

export interface VerifiedToken extends Actor {
  expiresAt: Date;
}

export abstract class TokenService {
  abstract issue(actor: Actor): Promise<string>;
  /** Throws UNAUTHENTICATED for a missing, malformed, tampered or expired token. */
  abstract verify(token: string): Promise<VerifiedToken>;
}
