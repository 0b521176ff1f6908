import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/app-config.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.env.PORT, config.env.HOST);
  new Logger('main').log(
    `order tracking listening on ${await app.getUrl()} (database: ${config.databaseMode}, search: ${config.searchBackend}, data dir: ${config.env.DATA_DIR})`,
  );
}

main().catch((error: unknown) => {
  // A configuration error is the operator's to fix: print it plainly, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
