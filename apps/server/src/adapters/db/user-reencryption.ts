import { and, asc, count, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PersonalDataProtection } from '../security/personal-data-keys.js';
import type { Db } from './database.js';
import { users } from './schema.js';
import { protectFields, revealFields } from './user-fields.js';

export interface ReencryptionProgress {
  done: number;
  total: number;
  elapsedMs: number;
}

export interface ReencryptionOptions {
  /** Only rows written before encryption at rest (start-up); otherwise every row not on the current keys. */
  plaintextOnly?: boolean;
  pageSize?: number;
  onProgress?: (progress: ReencryptionProgress) => void;
}

/**
 * Rewrites every user row whose name or email is not encrypted under the current data key, or whose email is not
 * indexed under the current index key. Each page commits on its own and the selection is "not yet current", so the
 * run is idempotent and a crashed run resumes where it stopped. A row changed meanwhile is left for the next run.
 */
export async function reencryptUsers(
  db: Db,
  protection: PersonalDataProtection,
  { plaintextOnly = false, pageSize = 500, onProgress }: ReencryptionOptions = {},
): Promise<ReencryptionProgress> {
  const started = performance.now();
  const stale = plaintextOnly ? isNull(users.emailIndex) : notOnCurrentKeys(protection);
  const [counted] = await db.select({ total: count() }).from(users).where(stale);
  const progress: ReencryptionProgress = { done: 0, total: counted?.total ?? 0, elapsedMs: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await db
      .select()
      .from(users)
      .where(after === undefined ? stale : and(stale, gt(users.id, after)))
      .orderBy(asc(users.id))
      .limit(pageSize);
    if (page.length === 0) break;
    await db.transaction(async (tx) => {
      for (const row of page) {
        const rewritten = protectFields(row.id, revealFields(row, protection), protection);
        await tx
          .update(users)
          .set(rewritten)
          .where(
            and(
              eq(users.id, row.id),
              eq(users.name, row.name),
              eq(users.email, row.email),
              row.emailIndex === null ? isNull(users.emailIndex) : eq(users.emailIndex, row.emailIndex),
            ),
          );
      }
    });
    after = page.at(-1)?.id;
    progress.done += page.length;
    progress.elapsedMs = performance.now() - started;
    onProgress?.({ ...progress });
  }
  progress.elapsedMs = performance.now() - started;
  return progress;
}

/** Stored values name their key: `v1:<kid>:…` for ciphertext, `<kid>:…` for index entries. */
function notOnCurrentKeys({ cipher, emailIndex }: PersonalDataProtection): SQL {
  return or(
    isNull(users.emailIndex),
    sql`split_part(${users.emailIndex}, ':', 1) <> ${emailIndex.currentKeyId}`,
    sql`split_part(${users.name}, ':', 2) <> ${cipher.currentKeyId}`,
    sql`split_part(${users.email}, ':', 2) <> ${cipher.currentKeyId}`,
  ) as SQL;
}
