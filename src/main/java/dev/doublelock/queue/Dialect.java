package dev.doublelock.queue;

/** The few places where SQLite and PostgreSQL SQL differ; everything else is shared. */
enum Dialect {
    /** One file; a writer takes the whole database ({@code BEGIN IMMEDIATE}), so no row locks are needed. */
    SQLITE("sqlite", "", ""),
    /** Row locks; claimers skip rows another node is claiming right now. */
    POSTGRES("postgres", " FOR UPDATE SKIP LOCKED", " FOR UPDATE");

    private final String migrationDir;
    private final String skipLocked;
    private final String forUpdate;

    Dialect(String migrationDir, String skipLocked, String forUpdate) {
        this.migrationDir = migrationDir;
        this.skipLocked = skipLocked;
        this.forUpdate = forUpdate;
    }

    /** Resource folder (below {@code dev/doublelock/queue/migrations/}) holding this dialect's scripts. */
    String migrationDir() {
        return migrationDir;
    }

    /** Suffix of a SELECT that claims rows without waiting for rows other transactions hold. */
    String skipLocked() {
        return skipLocked;
    }

    /** Suffix of a SELECT that locks the row it reads until the transaction ends. */
    String forUpdate() {
        return forUpdate;
    }

    /**
     * A statement that serializes schema migrations between nodes starting at once, or {@code null}
     * where the transaction itself already does (SQLite's immediate transactions).
     */
    String migrationLock() {
        return this == POSTGRES ? "SELECT pg_advisory_xact_lock(4242420001)" : null;
    }
}
