package dev.doublelock.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordStoreTest {
    @Test
    void upgradesADatabaseFromBeforeMessageIds(@TempDir Path dir) throws Exception {
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("lab.db"));
             var s = c.createStatement()) {
            s.execute("CREATE TABLE lab_sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, "
                    + "started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP NOT NULL, profile TEXT NOT NULL, port INTEGER, "
                    + "client_address TEXT, ehlo_name TEXT, starttls TEXT, tls_protocol TEXT, tls_cipher TEXT, sni TEXT, "
                    + "alert TEXT, quit_after_handshake BOOLEAN, mail_from TEXT, rcpt_to TEXT, size BIGINT, "
                    + "message_id TEXT, subject TEXT, messages INTEGER, injected_bytes INTEGER, close_reason TEXT, "
                    + "verdict TEXT NOT NULL, body BLOB)");
        }
        try (RecordStore store = RecordStore.openDefault(dir)) {
            store.insert(ReportMailerTest.record("a@b.example", LabProfile.GOOD, Verdict.DELIVERED));
            assertThat(store.all(0).get(0).messageIds()).containsExactly("<m@x>");
        }
    }

    @Test
    void storesAndReadsBackEveryField(@TempDir Path dir) {
        SessionRecord r = ReportMailerTest.record("a@b.example", LabProfile.SHAME, Verdict.DELIVERED_INSECURELY);
        try (RecordStore store = RecordStore.openDefault(dir)) {
            SessionRecord stored = store.insert(r);
            assertThat(stored.id()).isPositive();
            List<SessionRecord> all = store.all(0);
            assertThat(all).hasSize(1);
            assertThat(all.get(0)).usingRecursiveComparison().isEqualTo(stored);
            assertThat(store.hadRefusedTls("shame", "192.0.2.7", "mta.sender.example", Instant.now())).isFalse();
        }
    }
}
