import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, IdGenerator } from '../application/ports/clock.port.js';

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

@Injectable()
export class RandomIdGenerator extends IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}
