import { ConfigError } from '../config/app-config.js';
import { REINDEX_USAGE, runReindex } from './reindex-command.js';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(REINDEX_USAGE);
} else {
  runReindex(process.env, args, (line) => console.log(line)).catch((error: unknown) => {
    // Configuration and usage errors are the operator's to fix: print them plainly, without a stack trace.
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
