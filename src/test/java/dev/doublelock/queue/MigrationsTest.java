package dev.doublelock.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void scriptsAreSplitAtLineEndingSemicolonsWithoutComments() {
        String sql = "-- 001: demo\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\n\n-- note\nCREATE INDEX i\n  ON a (x);\n";
        assertThat(Migrations.statements(sql))
                .containsExactly("CREATE TABLE a (x TEXT DEFAULT 'a;b')", "CREATE INDEX i\n  ON a (x)");
    }

    @Test
    void bothDialectsHaveTheSameNumberedScripts() {
        List<Migrations.Script> sqlite = Migrations.scripts(Dialect.SQLITE);
        List<Migrations.Script> postgres = Migrations.scripts(Dialect.POSTGRES);
        assertThat(sqlite).isNotEmpty();
        assertThat(sqlite).extracting(Migrations.Script::version)
                .isEqualTo(postgres.stream().map(Migrations.Script::version).toList());
        for (int i = 0; i < sqlite.size(); i++) {
            assertThat(sqlite.get(i).version()).isEqualTo(i + 1);
            assertThat(sqlite.get(i).description()).isEqualTo(postgres.get(i).description());
        }
    }
}
