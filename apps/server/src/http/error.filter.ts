import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ErrorResponse } from '@ordertrack/shared';
import type { Response } from 'express';
import { asDomainError, DEPENDENCY_RETRY_AFTER_SECONDS, HTTP_STATUS_BY_ERROR, reasonPhrase } from './error-mapping.js';

/** Every HTTP error leaves as `{statusCode, error, message}`; unexpected ones are logged and never leak details. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(ErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (response.headersSent) return;
    if (body.statusCode === 503) response.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_SECONDS));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorResponse {
    const domainError = asDomainError(exception);
    if (domainError !== undefined) {
      const statusCode = HTTP_STATUS_BY_ERROR[domainError.code];
      return { statusCode, error: reasonPhrase(statusCode), message: domainError.message };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      return { statusCode, error: reasonPhrase(statusCode), message: messageOf(exception.getResponse()) };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: 500, error: reasonPhrase(500), message: 'internal error' };
  }
}

function messageOf(response: string | object): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : 'request failed';
}
