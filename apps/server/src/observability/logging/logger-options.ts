import type { IncomingMessage, ServerResponse } from 'node:http';
import { ecsFormat } from '@elastic/ecs-pino-format';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type { Env } from '../../config/env.schema.js';
import { ecsAccessFields } from './ecs-http-fields.js';
import { pinoLevelFor } from './log-level.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

/**
 * Secrets that must never reach a log line, wherever a caller puts them in a logged object. The access log
 * already logs no headers or bodies; this covers objects passed to `logger.log(...)` by hand.
 */
export const REDACTED_PATHS = [
  'password',
  'token',
  'accessToken',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

/** Paths whose every request would drown the access log: Prometheus scrapes /metrics every few seconds. */
const UNLOGGED_PATHS = new Set(['/metrics']);

/**
 * nestjs-pino settings: ECS JSON on stdout (and to Elasticsearch through `extraDestination` when configured),
 * one access-log line per request carrying its request id, user id and order id.
 */
export function loggerParams(env: Env, extraDestination?: DestinationStream): Params {
  const level = pinoLevelFor(env.LOG_LEVEL);
  const stdout = pino.destination(1);
  const destination =
    extraDestination === undefined
      ? stdout
      : pino.multistream([
          { level: 'trace', stream: stdout },
          { level: 'trace', stream: extraDestination },
        ]);
  return {
    pinoHttp: [
      {
        ...ecsFormat({ serviceName: 'ordertrack', apmIntegration: false }),
        level,
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
        genReqId: (request: IncomingMessage, response: ServerResponse) => {
          const id = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
          response.setHeader(REQUEST_ID_HEADER, id);
          return id;
        },
        // App logs inside a request carry only its id; the access line at the end carries the rest.
        quietReqLogger: true,
        quietResLogger: true,
        customAttributeKeys: { reqId: 'http.request.id' },
        autoLogging: { ignore: (request) => UNLOGGED_PATHS.has((request.url ?? '').split('?')[0] ?? '') },
        customLogLevel: (_request, response, error) =>
          error !== undefined || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
        customSuccessMessage: (request, response) => `${request.method} ${response.statusCode}`,
        customErrorMessage: (request, response) => `${request.method} ${response.statusCode} failed`,
        customSuccessObject: (request, response, value: { responseTime: number }) =>
          ecsAccessFields(request, response, value.responseTime),
        customErrorObject: (request, response, error, value: { responseTime: number }) => ({
          ...ecsAccessFields(request, response, value.responseTime),
          err: error,
        }),
      },
      destination,
    ],
    renameContext: 'log.logger',
  };
}
