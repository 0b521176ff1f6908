import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Role } from '@ordertrack/shared';
import { z } from 'zod';
import type { Actor } from '../../application/actor.js';
import { TokenService, type VerifiedToken } from '../../application/ports/security.port.js';
import { DomainError } from '../../domain/domain-error.js';

export const JWT_ISSUER = 'ordertrack';
export const JWT_AUDIENCE = 'ordertrack-api';
const ALGORITHM = 'HS256';

const Claims = z.object({ sub: z.string(), role: Role, exp: z.number() });

@Injectable()
export class JwtTokenService extends TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {
    super();
  }

  issue(actor: Actor): Promise<string> {
    return this.jwt.signAsync(
      { role: actor.role },
      {
        secret: this.secret,
        algorithm: ALGORITHM,
        subject: actor.userId,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        expiresIn: this.ttlSeconds,
      },
    );
  }

  async verify(token: string): Promise<VerifiedToken> {
    let payload: unknown;
    try {
      // The algorithm is pinned: a token claiming `none` or another algorithm is rejected, whatever its header says.
      payload = await this.jwt.verifyAsync(token, {
        secret: this.secret,
        algorithms: [ALGORITHM],
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
      });
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'invalid or expired access token');
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new DomainError('UNAUTHENTICATED', 'invalid access token claims');
    return { userId: claims.data.sub, role: claims.data.role, expiresAt: new Date(claims.data.exp * 1000) };
  }
}
