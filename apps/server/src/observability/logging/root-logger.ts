import { ecsFormat } from '@elastic/ecs-pino-format';
import type { LogLevel } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoLevelFor } from './log-level.js';

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

/**
 * The one pino logger of the process, writing ECS JSON to every destination (stdout, and the Elasticsearch log
 * shipper when configured). Request-scoped loggers are its children.
 */
export function createRootLogger(level: LogLevel, destinations: readonly DestinationStream[]): Logger {
  const [only, ...more] = destinations;
  const destination =
    only !== undefined && more.length === 0
      ? only
      : pino.multistream(destinations.map((stream) => ({ level: 'trace' as const, stream })));
  return pino(
    {
      ...ecsFormat({ serviceName: 'ordertrack', apmIntegration: false }),
      level: pinoLevelFor(level),
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    },
    destination,
  );
}
