package dev.doublelock.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordStoreTest {
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
