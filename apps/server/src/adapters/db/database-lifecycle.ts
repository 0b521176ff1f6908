import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseHandle } from './database.js';

/** Closes the database after everything that uses it (relay drain included) has shut down. */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly database: DatabaseHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
