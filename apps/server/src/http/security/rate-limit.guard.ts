import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * Rate limits by client address; sign-in attempts are counted per address and account together, so guessing one
 * account's password is slowed without letting anyone lock another person out from elsewhere.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** Socket messages are not HTTP requests; sockets are limited by message size and handshake authentication. */
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(context.getType() !== 'http');
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as Request;
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const body = req.body as { email?: unknown } | undefined;
    const email = req.path === '/auth/login' && typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
    return Promise.resolve(email === '' ? address : `${address}|${email}`);
  }
}
