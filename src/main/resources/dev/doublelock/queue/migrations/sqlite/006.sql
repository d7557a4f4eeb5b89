-- 006: per attempt, the recipient domain, the codes of the findings that made the policy refuse (or, in testing mode, would have refused) the session, and whether it was delivered anyway in testing mode: for the relay page and 'relay impact'. Rows recorded before have NULL there and would_refuse 0.
ALTER TABLE attempt ADD COLUMN domain TEXT;
ALTER TABLE attempt ADD COLUMN refusal_codes TEXT;
ALTER TABLE attempt ADD COLUMN would_refuse INTEGER NOT NULL DEFAULT 0;
CREATE INDEX attempt_at ON attempt (at);
