package dev.doublelock.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CappedByteCollectorTest {
    @Test
    void keepsUpToTheCapAndCountsTheRest() {
        CappedByteCollector c = new CappedByteCollector(5);
        c.write(new byte[]{1, 2, 3});
        assertThat(c.overflowed()).isFalse();
        c.write(new byte[]{4, 5, 6, 7});
        assertThat(c.overflowed()).isTrue();
        assertThat(c.total()).isEqualTo(7);
        assertThat(c.toByteArray()).containsExactly(1, 2, 3, 4, 5);
    }
}
