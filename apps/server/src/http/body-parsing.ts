import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { reasonPhrase } from './error-mapping.js';

interface BodyParserError {
  status?: number;
  type?: string;
}

/**
 * JSON bodies only, capped in size. Parser failures answer in the API's error shape
 * (malformed JSON 400, too large 413, unsupported charset 415) instead of express's HTML page.
 */
export function installBodyParsing(app: INestApplication, limitBytes: number): void {
  app.use(express.json({ limit: limitBytes, strict: true }));
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const parserError = error as BodyParserError;
    if (typeof parserError.status !== 'number' || parserError.type === undefined) {
      next(error);
      return;
    }
    const statusCode = parserError.status;
    const message =
      parserError.type === 'entity.too.large'
        ? `request body exceeds ${limitBytes} bytes`
        : parserError.type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : `request body rejected (${parserError.type})`;
    response.status(statusCode).json({ statusCode, error: reasonPhrase(statusCode), message });
  });
}
