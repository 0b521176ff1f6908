import jwt from 'jsonwebtoken';
import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../domain/domain-error.js';
import { JwtKeyRing } from './jwt-key-ring.js';
import { JWT_AUDIENCE, JWT_ISSUER, JwtTokenService } from './jwt-token-service.js';

const OLD_SECRET = 'old-secret-old-secret-old-secret-old-secret';
const NEW_SECRET = 'new-secret-new-secret-new-secret-new-secret';
const actor = { userId: '00000000-0000-4000-8000-000000000001', role: 'CUSTOMER' as const };
const serviceWith = (ring: JwtKeyRing): JwtTokenService => new JwtTokenService(ring, 3600);

async function rejection(service: JwtTokenService, token: string): Promise<string | undefined> {
  try {
    await service.verify(token);
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/** Signs arbitrary claims and headers the way an attacker holding (or guessing) a key could. */
function forge(options: {
  secret: string;
  kid?: string;
  algorithm?: 'HS256' | 'HS512';
  claims?: object;
  expiresIn?: number;
}): string {
  return jwt.sign({ role: 'ADMIN', ...options.claims }, options.secret, {
    algorithm: options.algorithm ?? 'HS256',
    subject: actor.userId,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
    expiresIn: options.expiresIn ?? 600,
    ...(options.kid === undefined ? {} : { keyid: options.kid }),
  });
}

describe('JWT access tokens', () => {
  it('round-trips the actor and names its key in the header', async () => {
    const ring = new JwtKeyRing(NEW_SECRET);
    const service = serviceWith(ring);
    const token = await service.issue(actor);
    expect(jwt.decode(token, { complete: true })).toMatchObject({ header: { alg: 'HS256', kid: ring.current.kid } });
    expect(await service.verify(token)).toMatchObject(actor);
  });

  it('keeps tokens of a rotated-out key valid while it is listed as previous, and only then', async () => {
    const oldToken = await serviceWith(new JwtKeyRing(OLD_SECRET)).issue(actor);
    expect(await serviceWith(new JwtKeyRing(NEW_SECRET, [OLD_SECRET])).verify(oldToken)).toMatchObject(actor);
    expect(await rejection(serviceWith(new JwtKeyRing(NEW_SECRET)), oldToken)).toBe('UNAUTHENTICATED');
  });

  it('refuses unsigned, re-algorithmed, tampered, expired, foreign and kid-less tokens', async () => {
    const ring = new JwtKeyRing(NEW_SECRET);
    const service = serviceWith(ring);
    const kid = ring.current.kid;
    const valid = await service.issue(actor);
    const [header, , signature] = valid.split('.');
    const unsigned = [
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid })).toString('base64url'),
      Buffer.from(
        JSON.stringify({ sub: actor.userId, role: 'ADMIN', iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: 4102444800 }),
      ).toString('base64url'),
      '',
    ].join('.');
    const elevated = [
      header,
      Buffer.from(JSON.stringify({ sub: actor.userId, role: 'ADMIN', exp: 4102444800 })).toString('base64url'),
      signature,
    ].join('.');
    const cases: Record<string, string> = {
      unsigned,
      elevated,
      'another algorithm': forge({ secret: NEW_SECRET, kid, algorithm: 'HS512' }),
      expired: forge({ secret: NEW_SECRET, kid, expiresIn: -10 }),
      'unknown key': forge({ secret: 'some-other-secret-some-other-secret-0000', kid }),
      'no kid': forge({ secret: NEW_SECRET }),
      'foreign issuer': jwt.sign({ role: 'ADMIN' }, NEW_SECRET, {
        keyid: kid,
        subject: actor.userId,
        issuer: 'elsewhere',
        audience: JWT_AUDIENCE,
        expiresIn: 600,
      }),
      'foreign audience': jwt.sign({ role: 'ADMIN' }, NEW_SECRET, {
        keyid: kid,
        subject: actor.userId,
        issuer: JWT_ISSUER,
        audience: 'other-api',
        expiresIn: 600,
      }),
      'unknown role': forge({ secret: NEW_SECRET, kid, claims: { role: 'ROOT' } }),
      garbage: 'not.a.jwt',
    };
    for (const [name, token] of Object.entries(cases)) {
      expect({ name, code: await rejection(service, token) }).toEqual({ name, code: 'UNAUTHENTICATED' });
    }
    expect(await service.verify(forge({ secret: NEW_SECRET, kid }))).toMatchObject({ role: 'ADMIN' });
  });

  it('checks a token once, answers it from memory afterwards, and still refuses it once it expires', async () => {
    let now = Date.parse('2026-12-04T12:00:00Z');
    const service = new JwtTokenService(new JwtKeyRing(NEW_SECRET), 60, { now: () => now });
    const token = await service.issue(actor);
    const signatureChecks = vi.spyOn(jwt, 'verify');
    try {
      expect(await service.verify(token)).toMatchObject(actor);
      expect(await service.verify(token)).toMatchObject(actor);
      expect(signatureChecks).toHaveBeenCalledTimes(1);
      now += 59_000;
      expect(await service.verify(token)).toMatchObject(actor);
      now += 2_000;
      expect(await rejection(service, token)).toBe('UNAUTHENTICATED');
      expect(await rejection(service, token)).toBe('UNAUTHENTICATED');
    } finally {
      signatureChecks.mockRestore();
    }
  });

  it('remembers only tokens that passed: a refused token is checked again every time', async () => {
    const ring = new JwtKeyRing(NEW_SECRET);
    const service = serviceWith(ring);
    const forged = forge({ secret: 'some-other-secret-some-other-secret-0000', kid: ring.current.kid });
    const signatureChecks = vi.spyOn(jwt, 'verify');
    try {
      expect(await rejection(service, forged)).toBe('UNAUTHENTICATED');
      expect(await rejection(service, forged)).toBe('UNAUTHENTICATED');
      expect(signatureChecks).toHaveBeenCalledTimes(2);
    } finally {
      signatureChecks.mockRestore();
    }
  });
});
