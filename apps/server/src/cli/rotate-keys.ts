import { DecryptionError } from '../application/ports/personal-data.port.js';
import { ConfigError } from '../config/app-config.js';
import { ROTATE_KEYS_USAGE, runRotateKeys } from './rotate-keys-command.js';

const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(ROTATE_KEYS_USAGE);
} else {
  runRotateKeys(process.env, args, (line) => console.log(line)).catch((error: unknown) => {
    // Configuration errors and missing keys are the operator's to fix: print them plainly, without a stack trace.
    const plain = error instanceof ConfigError || error instanceof DecryptionError;
    console.error(plain ? `rotate-keys: ${error.message}` : error);
    process.exit(1);
  });
}
