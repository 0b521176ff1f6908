import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_REDIS_URL } from '../support/redis.js';

const TRUSTED_ORIGIN = 'https://dashboard.example.com';

function socketHandshake(baseUrl: string, token: string, origin: string | undefined): Promise<string> {
  const socket = io(`${baseUrl}/orders`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: origin === undefined ? {} : { origin },
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

describe('security headers, CORS and socket origins', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp('pglite', { CORS_ORIGINS: TRUSTED_ORIGIN });
  });

  afterAll(() => server.close());

  it('sends the standard security headers', async () => {
    const response = await fetch(`${server.baseUrl}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS only for configured origins', async () => {
    const preflight = (origin: string): Promise<Response> =>
      fetch(`${server.baseUrl}/orders`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
      });
    expect((await preflight(TRUSTED_ORIGIN)).headers.get('access-control-allow-origin')).toBe(TRUSTED_ORIGIN);
    expect((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses sockets opened by pages from other origins', async () => {
    const admin = await new ApiClient(server.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const token = admin.auth.accessToken;
    expect(await socketHandshake(server.baseUrl, token, undefined)).toBe('connected');
    expect(await socketHandshake(server.baseUrl, token, server.baseUrl)).toBe('connected');
    expect(await socketHandshake(server.baseUrl, token, TRUSTED_ORIGIN)).toBe('connected');
    expect(await socketHandshake(server.baseUrl, token, 'https://evil.example.net')).not.toBe('connected');
  });
});

describe('rate limits shared by two instances through Redis', () => {
  let instances: InstancesOnOneDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const shared = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `ordertrack-test-${randomBytes(4).toString('hex')}`,
      LOGIN_RATE_LIMIT_PER_MINUTE: '3',
      RATE_LIMIT_PER_MINUTE: '40',
    };
    instances = await startInstancesOnFreshDatabase(shared, [{}, {}]);
    [first, second] = instances.apps as [TestApp, TestApp];
  });

  afterAll(async () => {
    await instances.close();
  });

  it('counts sign-in attempts for one account across instances and answers 429 with Retry-After', async () => {
    const attempt = (app: TestApp, email: string): Promise<Response> =>
      fetch(`${app.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'wrong-password' }),
      });
    expect((await attempt(first, 'target@example.com')).status).toBe(401);
    expect((await attempt(second, 'target@example.com')).status).toBe(401);
    expect((await attempt(first, 'target@example.com')).status).toBe(401);
    const blocked = await attempt(second, 'target@example.com');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    // Another account from the same address is not locked by someone guessing this one.
    expect((await attempt(first, 'other@example.com')).status).toBe(401);
  });

  it('limits every other route per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1)
      statuses.push((await fetch(`${(i % 2 === 0 ? first : second).baseUrl}/catalog`)).status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(40);
    expect(statuses.at(-1)).toBe(429);
  });
});
