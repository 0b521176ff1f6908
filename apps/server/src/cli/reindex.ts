import { ConfigError } from '../config/app-config.js';
import { runReindex } from './reindex-command.js';

runReindex(process.env, process.argv.slice(2), (line) => console.log(line)).catch((error: unknown) => {
  // Configuration and usage errors are the operator's to fix: print them plainly, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
