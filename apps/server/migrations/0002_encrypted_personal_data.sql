-- Name and email become AES-256-GCM ciphertext and email lookups go through the email_index blind index; the keys
-- live in configuration, so SQL cannot encrypt. Rows written before this migration keep their plaintext name and
-- email with email_index NULL until the server encrypts them at start-up (encryptPlaintextUsers); email_lookup is
-- derivable from email, so dropping it loses nothing.
DROP INDEX "users_email_lookup_key";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_index" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_index_key" ON "users" USING btree ("email_index");--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "email_lookup";