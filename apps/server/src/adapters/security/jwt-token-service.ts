import { Injectable } from '@nestjs/common';
import { Role } from '@ordertrack/shared';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { Actor } from '../../application/actor.js';
import { TokenService, type VerifiedToken } from '../../application/ports/security.port.js';
import { DomainError } from '../../domain/domain-error.js';
import type { JwtKeyRing } from './jwt-key-ring.js';

export const JWT_ISSUER = 'ordertrack';
export const JWT_AUDIENCE = 'ordertrack-api';
const ALGORITHM = 'HS256';

const Claims = z.object({ sub: z.string(), role: Role, exp: z.number() });

@Injectable()
export class JwtTokenService extends TokenService {
  constructor(
    private readonly keys: JwtKeyRing,
    private readonly ttlSeconds: number,
  ) {
    super();
  }

  async issue(actor: Actor): Promise<string> {
    return jwt.sign({ role: actor.role }, this.keys.current.secret, {
      algorithm: ALGORITHM,
      keyid: this.keys.current.kid,
      subject: actor.userId,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: this.ttlSeconds,
    });
  }

  async verify(token: string): Promise<VerifiedToken> {
    // The key is chosen by its id among our own keys only; nothing in the token can point elsewhere (no jku/x5u).
    const key = this.keys.find(this.headerOf(token)?.kid);
    if (key === undefined) throw new DomainError('UNAUTHENTICATED', 'invalid or expired access token');
    let payload: unknown;
    try {
      // The algorithm is pinned: a token claiming `none` or another algorithm is rejected, whatever its header says.
      payload = jwt.verify(token, key.secret, { algorithms: [ALGORITHM], issuer: JWT_ISSUER, audience: JWT_AUDIENCE });
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
