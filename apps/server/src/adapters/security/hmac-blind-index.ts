import { createHmac } from 'node:crypto';
import { BlindIndex } from '../../application/ports/personal-data.port.js';
import type { NamedKey } from '../../config/env.schema.js';

/** HMAC-SHA256 blind index; an entry is `<kid>:<base64url(mac)>`, so entries under different keys never collide. */
export class HmacBlindIndex extends BlindIndex {
  readonly currentKeyId: string;

  constructor(
    private readonly current: NamedKey,
    private readonly previous: readonly NamedKey[] = [],
  ) {
    super();
    this.currentKeyId = current.kid;
  }

  entry(value: string): string {
    return entryUnder(this.current, value);
  }

  candidates(value: string): string[] {
    return [this.current, ...this.previous].map((key) => entryUnder(key, value));
  }

  keyIdOf(stored: string): string {
    return stored.slice(0, Math.max(0, stored.indexOf(':')));
  }
}

function entryUnder({ kid, key }: NamedKey, value: string): string {
  return `${kid}:${createHmac('sha256', key).update(value, 'utf8').digest('base64url')}`;
}
