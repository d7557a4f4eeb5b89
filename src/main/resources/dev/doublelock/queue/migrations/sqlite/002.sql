-- 002: MTA-STS policies (RFC 8461 §5.1), kept across restarts and shared by the nodes of one queue. Times are epoch milliseconds.
CREATE TABLE sts_policy (
    domain     TEXT    NOT NULL PRIMARY KEY,
    policy_id  TEXT    NOT NULL,
    policy     TEXT    NOT NULL,
    fetched_at INTEGER NOT NULL
);
