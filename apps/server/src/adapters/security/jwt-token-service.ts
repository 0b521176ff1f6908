import { Injectable } from '@nestjs/common';
import { Role } from '@ordertrack/shared';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Actor } from '../../application/actor.js';
import { TokenService, type VerifiedToken } from '../../application/ports/security.port.js';
import { DomainError } from '../../domain/domain-error.js';
import { LeastRecentlyUsed } from '../../application/least-recently-used.js';
import type { JwtKeyRing } from './jwt-key-ring.js';

export const JWT_ISSUER = 'ordertrack';
export const JWT_AUDIENCE = 'ordertrack-api';
const ALGORITHM = 'HS256';

const Claims = z.object({ sub: z.string(), role: Role, exp: z.number() });
/** About one token per active client; a token string is a few hundred bytes. */
const VERIFIED_TOKENS = 10_000;

export interface JwtTokenServiceOptions {
  /** Milliseconds since the epoch; expiry is checked against it, for verified and remembered tokens alike. */
  now?: () => number;
}

@Injectable()
export class JwtTokenService extends TokenService {
  /**
   * Tokens whose signature and claims already passed, by their exact text: a client sends the same token with every
   * request, and checking it (decode, HMAC, claims) took 9% of the app thread's busy time in the embedded push
   * benchmark (4% in full mode).
   * The key ring is fixed for the process, so the text alone decides everything but expiry, checked on each use.
   */
  private readonly verified = new LeastRecentlyUsed<string, VerifiedToken>(VERIFIED_TOKENS);
  private readonly now: () => number;

  constructor(
    private readonly keys: JwtKeyRing,
    private readonly ttlSeconds: number,
    { now = Date.now }: JwtTokenServiceOptions = {},
  ) {
    super();
    this.now = now;
  }

  async issue(actor: Actor): Promise<string> {
    // `iat` from the same clock as verification, which `expiresIn` counts from.
    return jwt.sign({ role: actor.role, iat: Math.floor(this.now() / 1000) }, this.keys.current.secret, {
      algorithm: ALGORITHM,
      keyid: this.keys.current.kid,
      subject: actor.userId,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: this.ttlSeconds,
    });
  }

  async verify(token: string): Promise<VerifiedToken> {
    const remembered = this.verified.get(token);
    if (remembered !== undefined) {
      if (this.now() < remembered.expiresAt.getTime()) return remembered;
      this.verified.delete(token);
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired access token');
    }
    const verified = Object.freeze(this.verifySignatureAndClaims(token));
    this.verified.set(token, verified);
    return verified;
  }

  private verifySignatureAndClaims(token: string): VerifiedToken {
    // The key is chosen by its id among our own keys only; nothing in the token can point elsewhere (no jku/x5u).
    const key = this.keys.find(this.headerOf(token)?.kid);
    if (key === undefined) throw new DomainError('UNAUTHENTICATED', 'invalid or expired access token');
    let payload: unknown;
    try {
      // The algorithm is pinned: a token claiming `none` or another algorithm is rejected, whatever its header says.
      payload = jwt.verify(token, key.secret, {
        algorithms: [ALGORITHM],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        clockTimestamp: Math.floor(this.now() / 1000),
      });
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired access token');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new DomainError('UNAUTHENTICATED', 'invalid access token claims');
    return { userId: claims.data.sub, role: claims.data.role, expiresAt: new Date(claims.data.exp * 1000) };
  }

  private headerOf(token: string): { kid?: unknown } | undefined {
    const decoded: unknown = jwt.decode(token, { complete: true });
    return typeof decoded === 'object' && decoded !== null && 'header' in decoded
      ? (decoded.header as { kid?: unknown })
      : undefined;
  }
}
