package dev.doublelock.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LazyTest {
    @Test
    void theFactoryRunsOnceForManyThreadsAndOnlyWhenAsked() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch inFactory = new CountDownLatch(1);
        Lazy<Object> lazy = Lazy.of(() -> {
            made.incrementAndGet();
            inFactory.countDown();
            try {
                Thread.sleep(50); // the others arrive while it is being made
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object();
        }, "thing");
        assertThat(made).hasValue(0);
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) threads.add(Thread.ofPlatform().start(() -> seen.add(lazy.get())));
        for (Thread t : threads) t.join(5000);
        assertThat(made).hasValue(1);
        assertThat(seen).hasSize(8).allMatch(o -> o == seen.getFirst());
    }

    @Test
    void aFactoryThatFailsIsTriedAgainAndNullIsNamed() {
        AtomicInteger calls = new AtomicInteger();
        Lazy<String> flaky = Lazy.of(() -> {
            if (calls.incrementAndGet() == 1) throw new IllegalStateException("not yet");
            return "ok";
        }, "flaky");
        assertThatThrownBy(flaky::get).hasMessage("not yet");
        assertThat(flaky.get()).isEqualTo("ok");
        assertThatThrownBy(() -> Lazy.of(() -> null, "resolver").get()).hasMessageContaining("resolver returned null");
        assertThat(Lazy.ofValue("v").get()).isEqualTo("v");
    }
}
