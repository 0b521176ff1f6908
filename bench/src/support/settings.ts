/**
 * Settings handed to the app under test on a driver's command line, as `NAME=VALUE` words: `bench:orders` takes a
 * set per `--variant="A=1 B=2"`, `bench:push` one per `--env=A=1`. The value may itself hold `=` (`NODE_OPTIONS=--a=b`).
 * Undefined when a word has no name before its `=`; no words at all are the shipped defaults.
 */
export function parseSettings(words: readonly string[]): Record<string, string> | undefined {
  const settings: Record<string, string> = {};
  for (const word of words) {
    const equals = word.indexOf('=');
    if (equals <= 0) return undefined;
    settings[word.slice(0, equals)] = word.slice(equals + 1);
  }
  return settings;
}

/** One `--variant` text: its words split on white space (an empty text is the shipped defaults). */
export function parseVariant(text: string): Record<string, string> | undefined {
  return parseSettings(text.split(/\s+/).filter((word) => word !== ''));
}
