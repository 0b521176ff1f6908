import { z } from 'zod';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Ids are compared as strings everywhere, so only the canonical lowercase form is accepted. */
export const Uuid = z
  .string()
  .regex(CANONICAL_UUID, 'must be a canonical lowercase UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');

export const IsoTimestamp = z.iso.datetime({ offset: true });
