package dev.doublelock.dns;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * How MX hosts of equal preference are ordered. RFC 5321 §5.1 asks senders to randomise among
 * equal preferences to spread load; tests and reports want a stable order.
 */
public sealed interface MxOrder {

    /** Sort by preference, then by name: the same order every time. */
    record Stable() implements MxOrder {
    }

    /** Sort by preference, shuffling hosts of equal preference with the given generator. */
    record Shuffled(RandomGenerator random) implements MxOrder {
    }

    static MxOrder stable() {
        return new Stable();
    }

    static MxOrder shuffled() {
        return new Shuffled(new Random());
    }

    /** The hosts in the order to try them. */
    default List<MxHost> order(List<MxHost> hosts) {
        List<MxHost> sorted = new ArrayList<>(hosts);
        sorted.sort(Comparator.comparingInt(MxHost::preference).thenComparing(MxHost::name));
        if (this instanceof Shuffled(RandomGenerator random)) {
            int start = 0;
            while (start < sorted.size()) {
                int end = start;
                while (end < sorted.size() && sorted.get(end).preference() == sorted.get(start).preference()) {
                    end++;
                }
                for (int i = end - 1; i > start; i--) {
                    int j = start + random.nextInt(i - start + 1);
                    sorted.set(i, sorted.set(j, sorted.get(i)));
                }
                start = end;
            }
        }
        return List.copyOf(sorted);
    }
}
