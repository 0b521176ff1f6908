import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { accessLogMiddleware } from './access-log.middleware.js';
import { NestPinoLogger } from './nest-pino-logger.js';
import { RequestLogContext } from './request-log-context.js';
import { createRootLogger } from './root-logger.js';

type Line = Record<string, unknown>;

/** A real express app behind the middleware, logging into memory. */
async function serve(level: 'log' | 'warn') {
  const lines: Line[] = [];
  const context = new RequestLogContext(
    createRootLogger(level, [{ write: (line: string) => void lines.push(JSON.parse(line) as Line) }]),
  );
  const logger = new NestPinoLogger(context);
  const app = express();
  app.use(accessLogMiddleware(context));
  app.get('/orders/:id', (_request, response) => {
    // After an await, as a handler's logging would be: the request's context must survive it.
    void Promise.resolve().then(() => {
      logger.log('looking the order up', 'OrdersService');
      response.status(200).json({});
    });
  });
  app.get('/metrics', (_request, response) => void response.send('# metrics'));
  app.get('/broken', (_request, response) => void response.status(500).json({}));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { lines, logger, base };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** The access line is written on 'finish', which can land just after the client has its answer. */
async function linesAfter(lines: Line[], count: number): Promise<Line[]> {
  const deadline = Date.now() + 2000;
  while (lines.length < count && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  return lines;
}

describe('request logging', () => {
  it('gives a request an id, carries it on the lines written during the request and on its access line', async () => {
    const { lines, base } = await serve('log');
    const response = await fetch(`${base}/orders/o-1`, { headers: { 'x-request-id': 'trace-7' } });
    expect(response.headers.get('x-request-id')).toBe('trace-7');
    const [inside, access] = await linesAfter(lines, 2);
    expect(inside).toMatchObject({
      'http.request.id': 'trace-7',
      'log.logger': 'OrdersService',
      'log.level': 'info',
      message: 'looking the order up',
    });
    expect(access).toMatchObject({
      'http.request.id': 'trace-7',
      'http.request.method': 'GET',
      'http.route': '/orders/:id',
      'http.response.status_code': 200,
      'ordertrack.order.id': 'o-1',
      message: 'GET 200',
    });
    expect(access?.['event.duration']).toBeGreaterThan(0);
  });

  it('generates an id for a request without a plausible one, a different one each time', async () => {
    const { base } = await serve('log');
    const first = (await fetch(`${base}/orders/a`, { headers: { 'x-request-id': 'not valid!' } })).headers;
    const second = (await fetch(`${base}/orders/a`)).headers;
    expect(first.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.get('x-request-id')).not.toBe(second.get('x-request-id'));
  });

  it('logs 4xx at warn and 5xx at error, honours LOG_LEVEL, and never logs /metrics', async () => {
    const { lines, base } = await serve('warn');
    await fetch(`${base}/orders/a`);
    await fetch(`${base}/metrics`);
    await fetch(`${base}/missing`);
    await fetch(`${base}/broken`);
    const written = await linesAfter(lines, 2);
    expect(written.map((line) => [line['log.level'], line['message']])).toEqual([
      ['warn', 'GET 404'],
      ['error', 'GET 500 failed'],
    ]);
  });

  it('writes no request id outside a request', async () => {
    const { lines, logger } = await serve('log');
    logger.warn('relay paused', 'OutboxRelay');
    expect(lines).toEqual([expect.objectContaining({ 'log.logger': 'OutboxRelay', message: 'relay paused' })]);
    expect(lines[0]).not.toHaveProperty('http.request.id');
  });

  it('redacts secrets in objects logged by hand', async () => {
    const { lines, logger } = await serve('log');
    logger.log({ token: 'tok-1', user: { password: 'pw-1', name: 'Ann' } }, 'Auth');
    expect(JSON.stringify(lines)).not.toMatch(/tok-1|pw-1/);
    expect(lines[0]).toMatchObject({ token: '[REDACTED]', user: { password: '[REDACTED]', name: 'Ann' } });
  });

  it("turns Nest's (message, stack, context) error calls into an error with that stack", async () => {
    const { lines, logger } = await serve('log');
    logger.error('boom', 'Error: boom\n    at somewhere (file.js:1:1)', 'ExceptionsHandler');
    expect(lines[0]).toMatchObject({
      'log.level': 'error',
      'log.logger': 'ExceptionsHandler',
      message: 'boom',
      error: { message: 'boom', stack_trace: 'Error: boom\n    at somewhere (file.js:1:1)' },
    });
  });
});
