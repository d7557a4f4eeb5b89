-- 005: which node sent the TLS report of a day for a domain (RFC 8460): one report per day and domain across nodes.
CREATE TABLE tlsrpt_sent (
    day           TEXT    NOT NULL,
    policy_domain TEXT    NOT NULL,
    node          TEXT    NOT NULL,
    at            BIGINT  NOT NULL,
    PRIMARY KEY (day, policy_domain)
);
