-- 004: TLS report counts (RFC 8460): sessions per UTC day, policy and outcome, shared by every node of one queue.
-- A successful session has result_type ''; policy_strings are the policy's lines joined by LF.
CREATE TABLE tlsrpt_count (
    day            TEXT    NOT NULL,
    policy_domain  TEXT    NOT NULL,
    policy_type    TEXT    NOT NULL,
    policy_strings TEXT    NOT NULL,
    mx_host        TEXT    NOT NULL,
    result_type    TEXT    NOT NULL,
    sending_ip     TEXT    NOT NULL,
    receiving_mx   TEXT    NOT NULL,
    receiving_ip   TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    sessions       BIGINT  NOT NULL,
    PRIMARY KEY (day, policy_domain, policy_type, policy_strings, mx_host, result_type, sending_ip, receiving_mx,
                 receiving_ip, reason)
);
