-- 001: messages, recipients, envelope parameters, attempt history. Times are epoch milliseconds.
CREATE TABLE message (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id          TEXT    NOT NULL,
    mail_from           TEXT    NOT NULL,
    size                INTEGER NOT NULL,
    body                BLOB,
    queued_at           INTEGER NOT NULL,
    state               TEXT    NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     INTEGER NOT NULL,
    claimed_by          TEXT,
    lease_until         INTEGER,
    reason              TEXT,
    delay_notice_sent_at INTEGER
);
CREATE INDEX message_due ON message (state, next_attempt_at);
CREATE TABLE recipient (
    msg     INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    address TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    PRIMARY KEY (msg, idx)
);
CREATE TABLE envelope_param (
    msg   INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    name  TEXT    NOT NULL,
    value TEXT    NOT NULL,
    PRIMARY KEY (msg, name)
);
CREATE TABLE attempt (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    msg            INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    at             INTEGER NOT NULL,
    mx_host        TEXT,
    ip             TEXT,
    tls_protocol   TEXT,
    tls_cipher     TEXT,
    policy_verdict TEXT,
    finding_codes  TEXT    NOT NULL,
    findings_text  TEXT,
    reply_code     INTEGER NOT NULL,
    enhanced       TEXT,
    reply_text     TEXT,
    duration_ms    INTEGER NOT NULL,
    outcome        TEXT    NOT NULL
);
CREATE INDEX attempt_msg ON attempt (msg, id);
