package dev.doublelock.tls.probe;

import dev.doublelock.tls.CipherSuite;
import dev.doublelock.tls.CipherSuites;
import dev.doublelock.tls.Exposure;

import java.io.OutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * ROBOT (Return Of Bleichenbacher's Oracle Threat, CVE-2017-13099 and kin), as the ROBOT authors' scan and testssl.sh
 * test it: five RSA key exchanges on five connections, each a ClientKeyExchange whose PKCS#1 v1.5 block (encrypted with
 * the server's own public key) is well formed or broken in one way, followed by ChangeCipherSpec and a Finished the
 * server cannot decrypt. A fixed server answers all five the same way (RFC 5246 §7.4.7.1: treat a bad block like a
 * good one); a server whose answer differs — another alert, a close, a silence — is a padding oracle that lets an
 * attacker decrypt recorded static-RSA sessions or sign with its key. A difference is confirmed by a second round
 * before it is reported. Only where a static RSA key exchange was accepted and the certificate has an RSA key.
 */
final class RobotProbe {
    static final String NAME = "ROBOT";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The five ClientKeyExchange blocks. */
    enum Block {
        WELL_FORMED("well-formed block"),
        WRONG_FIRST_BYTES("block starting 0x41 0x17 instead of 0x00 0x02"),
        ZERO_MISPLACED("0x00 separator 8 bytes late (a 40-byte secret)"),
        NO_SEPARATOR("block without the 0x00 separator"),
        WRONG_VERSION("well-formed block, secret with version 0x0202");

        final String label;

        Block(String label) {
            this.label = label;
        }
    }

    private RobotProbe() {
    }

    static Exposure run(HelloExchange exchange, List<SuiteEnumeration> found, List<X509Certificate> chain, Consumer<String> untested) {
        Optional<SuiteEnumeration> rsa = found.stream().filter(SuiteEnumeration::supported)
                .filter(e -> !rsaSuites(e).isEmpty()).max((a, b) -> a.version().compareTo(b.version()));
        if (rsa.isEmpty()) return Exposure.notApplicable("no static RSA key exchange (TLS_RSA_*) accepted");
        if (chain.isEmpty() || !(chain.getFirst().getPublicKey() instanceof RSAPublicKey key)) {
            untested.accept(NAME + ": not tested: static RSA suites accepted, but no RSA certificate seen to encrypt to");
            return null;
        }
        SuiteEnumeration e = rsa.get();
        Map<Block, String> first = round(exchange, e, key, untested);
        if (first == null) return null;
        if (first.values().stream().distinct().count() == 1) {
            return Exposure.notVulnerable("answered five RSA key exchanges, well-formed and broken, alike: " + first.get(Block.WELL_FORMED));
        }
        Map<Block, String> second = round(exchange, e, key, untested);
        if (second == null) return null;
        if (!second.equals(first)) {
            untested.accept(NAME + ": answers differed between two rounds (" + describe(first) + " / " + describe(second)
                    + "); an unstable server or network, not a clear oracle");
            return null;
        }
        return Exposure.vulnerable("answers depend on the RSA padding (a Bleichenbacher oracle), twice the same: " + describe(first));
    }

    static List<Integer> rsaSuites(SuiteEnumeration e) {
        return e.accepted().stream().filter(c -> CipherSuites.byCode(c).map(s -> s.keyExchange() == CipherSuite.KeyExchange.RSA)
                .orElse(false)).limit(Offers.CHUNK).toList();
    }

    private static String describe(Map<Block, String> answers) {
        List<String> parts = new ArrayList<>();
        answers.forEach((b, a) -> parts.add(b.label + " → " + a));
        return String.join("; ", parts);
    }

    /** One connection per block, in parallel under the host limiter; null if any could not tell (said in untested). */
    private static Map<Block, String> round(HelloExchange exchange, SuiteEnumeration e, RSAPublicKey key, Consumer<String> untested) {
        Map<Block, java.util.concurrent.Future<String>> pending = new LinkedHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Block b : Block.values()) pending.put(b, pool.submit(() -> answer(exchange, e, key, b, problems::add)));
        }
        Map<Block, String> out = new LinkedHashMap<>();
        for (var p : pending.entrySet()) {
            String a;
            try {
                a = p.getValue().get();
            } catch (Exception x) {
                a = null;
                problems.add("internal error (" + x + ")");
            }
            if (a == null) {
                untested.accept(NAME + ": " + (problems.isEmpty() ? "no conclusive answer" : problems.getFirst()));
                return null;
            }
            out.put(p.getKey(), a);
        }
        return out;
    }

    private static String answer(HelloExchange exchange, SuiteEnumeration e, RSAPublicKey key, Block block, Consumer<String> problem) {
        int version = e.version().wire();
        ClientHello hello = ClientHello.of(e.version(), rsaSuites(e), Offers.ecGroups(), exchange.target().sniName());
        StringBuilder why = new StringBuilder();
        HelloExchange.Connected<String> r = exchange.connect((c, deadline) -> {
            OutputStream out = c.socket().getOutputStream();
            out.write(ClientHelloWriter.record(hello));
            out.flush();
            ServerReply flight = ServerFlightReader.read(c.in());
            if (!FlightProbe.complete(flight, version, why::append)) return null;
            byte[] encrypted = encrypt(key, block(block, (key.getModulus().bitLength() + 7) / 8, version));
            byte[] cke = new ClientHelloWriter.Bytes().u8(16).u24(encrypted.length + 2).vec16(encrypted).toByteArray();
            byte[] finished = new byte[48];
            Arrays.fill(finished, (byte) 0x55); // "encrypted" under keys the server cannot have: it must fail to decrypt
            out.write(concat(RecordIo.record(22, version, cke), RecordIo.record(20, version, new byte[]{1}),
                    RecordIo.record(22, version, finished)));
            out.flush();
            return switch (RecordIo.next(c.socket(), deadline, exchange.reactionMillis())) {
                case RecordIo.Next.Received x when x.type() == 21 -> "alert " + HandshakeParser.alertName(x.alert());
                case RecordIo.Next.Received x -> "record of type " + x.type();
                case RecordIo.Next.Silent s -> "silence for " + exchange.reactionMillis() + " ms";
                case RecordIo.Next.Closed cl -> cl.how();
                case RecordIo.Next.Garbage g -> "garbage (" + g.what() + ")";
            };
        });
        Object reason = why.isEmpty() ? "no conclusive answer" : why;
        return HelloExchange.settle(r, block.label, reason, problem);
    }

    /** A PKCS#1 v1.5 type 2 block of {@code k} bytes around a 48-byte premaster secret, broken as {@code b} says. */
    static byte[] block(Block b, int k, int version) {
        byte[] m = new byte[k];
        m[0] = 0;
        m[1] = 2;
        int separator = k - 49;
        for (int i = 2; i < separator; i++) m[i] = nonZero();
        m[separator] = 0;
        m[separator + 1] = (byte) (version >> 8);
        m[separator + 2] = (byte) version;
        for (int i = separator + 3; i < k; i++) m[i] = nonZero();
        switch (b) {
            case WELL_FORMED -> { }
            case WRONG_FIRST_BYTES -> { m[0] = 0x41; m[1] = 0x17; }
            case ZERO_MISPLACED -> { m[separator] = 0x11; m[separator + 8] = 0; }
            case NO_SEPARATOR -> m[separator] = 0x11;
            case WRONG_VERSION -> { m[separator + 1] = 2; m[separator + 2] = 2; }
        }
        return m;
    }

    private static byte nonZero() {
        return (byte) (1 + RANDOM.nextInt(255));
    }

    /** Textbook RSA of a block that is already padded: m^e mod n, as k bytes. */
    static byte[] encrypt(RSAPublicKey key, byte[] m) {
        int k = m.length;
        byte[] c = new BigInteger(1, m).modPow(key.getPublicExponent(), key.getModulus()).toByteArray();
        byte[] out = new byte[k];
        int from = Math.max(0, c.length - k);
        System.arraycopy(c, from, out, k - (c.length - from), c.length - from);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
