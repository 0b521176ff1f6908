import { describe, expect, it } from 'vitest';
import { parseSettings, parseVariant } from './settings.js';

describe('parseSettings', () => {
  it('maps NAME=VALUE words to settings, keeping any later "=" in the value', () => {
    expect(parseSettings(['OUTBOX_GATHER_MS=5', 'NODE_OPTIONS=--import=/tmp/x.mjs', 'EMPTY='])).toEqual({
      OUTBOX_GATHER_MS: '5',
      NODE_OPTIONS: '--import=/tmp/x.mjs',
      EMPTY: '',
    });
  });

  it('refuses a word without a name before its "="', () => {
    expect(parseSettings(['A=1', 'oops'])).toBeUndefined();
    expect(parseSettings(['=1'])).toBeUndefined();
  });
});

describe('parseVariant', () => {
  it('splits a variant on white space; an empty one is the shipped defaults', () => {
    expect(parseVariant('  A=1   B=2 ')).toEqual({ A: '1', B: '2' });
    expect(parseVariant('')).toEqual({});
    expect(parseVariant('A=1 B')).toBeUndefined();
  });
});
