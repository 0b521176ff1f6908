import type { LogLevel } from '@nestjs/common';
import type { Level } from 'pino';

const PINO_LEVEL_BY_NEST_LEVEL: Readonly<Record<LogLevel, Level>> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** LOG_LEVEL keeps Nest's names (documented since the first release); pino calls `log` info and `verbose` trace. */
export const pinoLevelFor = (level: LogLevel): Level => PINO_LEVEL_BY_NEST_LEVEL[level];
