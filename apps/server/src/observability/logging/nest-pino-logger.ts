import type { LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import type { RequestLogContext } from './request-log-context.js';

/** The field naming the Nest `Logger` context (usually a class name) a line came from, in ECS terms. */
const CONTEXT_FIELD = 'log.logger';

/** Nest's exception handlers pass `(message, stack)` to `error()` instead of an Error. */
const looksLikeStack = (value: unknown): value is string => typeof value === 'string' && /\n\s*at /.test(value);

/**
 * Every Nest `Logger` call, written by pino: the context (Nest passes it last) becomes `log.logger`, an Error or
 * an object becomes fields, and inside a request the line carries the request's id.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly context: RequestLogContext) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = this.context.current();
    if (!logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = params.length === 0 ? [] : params.slice(0, -1);
    if (params.length > 0) fields[CONTEXT_FIELD] = params[params.length - 1];
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message }, message.message, ...rest);
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...fields, ...message }, rest.length > 0 ? rest.map(String).join(' ') : undefined);
    } else if (level === 'error' && rest.length === 1 && looksLikeStack(rest[0])) {
      const error = new Error(String(message));
      error.stack = rest[0];
      logger[level]({ ...fields, err: error }, String(message));
    } else {
      logger[level](fields, String(message), ...rest);
    }
  }
}
