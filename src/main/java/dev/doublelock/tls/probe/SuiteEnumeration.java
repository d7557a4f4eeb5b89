package dev.doublelock.tls.probe;

import dev.doublelock.tls.TlsVersion;

import java.util.List;
import java.util.Optional;

/**
 * What one protocol version's probing found.
 *
 * @param version     the version
 * @param accepted    accepted suite codes, in server order if it enforces one, else in the order found
 * @param serverOrder whether the server enforces its own order, if it could be told
 * @param answers     every ServerHello flight received at this version (for chain, extensions, DH sizes)
 * @param untested    what could not be determined, in words
 */
record SuiteEnumeration(TlsVersion version, List<Integer> accepted, Optional<Boolean> serverOrder,
                        List<ServerReply.Answered> answers, List<String> untested) {
    SuiteEnumeration {
        accepted = List.copyOf(accepted);
        answers = List.copyOf(answers);
        untested = List.copyOf(untested);
    }

    boolean supported() {
        return !accepted.isEmpty();
    }
}
