-- 003: per recipient, why it is not delivered yet (or why it failed), in words with finding codes, for 'queue list'.
ALTER TABLE recipient ADD COLUMN reason TEXT;
