import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from './env.schema.js';

const README = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

/** The README's configuration table: each row's variable and whether it is marked secret (🔒). */
function documentedVariables(): Map<string, { secret: boolean }> {
  const section = README.slice(
    README.indexOf('## Configuration'),
    README.indexOf('\n## ', README.indexOf('## Configuration') + 1),
  );
  const rows = new Map<string, { secret: boolean }>();
  for (const match of section.matchAll(/^\| `([A-Z][A-Z0-9_]*)`( 🔒)? /gm)) {
    rows.set(match[1] as string, { secret: match[2] !== undefined });
  }
  return rows;
}

describe("the README's configuration table", () => {
  const documented = documentedVariables();
  const read = Object.keys(EnvSchema.shape);

  it('names every variable the server reads, and no other', () => {
    expect([...documented.keys()].sort()).toEqual([...read].sort());
  });

  it('marks exactly the secret ones', () => {
    const secret = (name: string) =>
      (EnvSchema.shape[name as keyof typeof EnvSchema.shape].meta() as { secret?: boolean } | undefined)?.secret ===
      true;
    const documentedSecret = [...documented].filter(([, row]) => row.secret).map(([name]) => name);
    expect(documentedSecret.sort()).toEqual(read.filter(secret).sort());
    expect(documentedSecret.length).toBeGreaterThan(0);
  });
});
