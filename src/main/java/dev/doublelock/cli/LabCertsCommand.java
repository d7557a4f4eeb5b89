package dev.doublelock.cli;

import dev.doublelock.lab.LabProfile;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.LabCertificate;
import dev.doublelock.tls.pki.LabPki;
import dev.doublelock.tls.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code doublelock lab certs}: exports, as PEM, the certificates the lab using that data location serves. It only
 * reads: a running lab makes its CA and leaves (under the PKI directory's lock, which this command waits for), and
 * where no lab has been, it says so and exits {@value ExitCodes#NOTHING_THERE} having created nothing.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"Exports, as PEM, the certificates the lab using that data location serves: ca.pem and per "
                + "profile <name>.chain.pem and <name>.key.pem. Reads only: start the lab first (it makes them).",
                "Exit codes: 0 written, 3 nothing at the data location (nothing is created)."})
final class LabCertsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory the lab uses (default: $"
            + DataLocation.ENV + ", else /var/lib/doublelock when writable, else ./doublelock-data).")
    Path data;

    @Option(names = "--out", required = true, description = "Directory to write the PEM files to.")
    Path out;

    @Override
    public Integer call() {
        try {
            return export();
        } catch (RuntimeException e) {
            return ExitCodes.report(spec, e);
        }
    }

    private int export() {
        DataLocation location = DataLocation.of(data);
        Path pkiDir = location.resolve("pki");
        Set<LabCertificate> wanted = EnumSet.noneOf(LabCertificate.class);
        for (LabProfile p : LabProfile.values()) wanted.add(p.certificate());
        LabPki.Stored stored = LabPki.readStored(pkiDir, wanted)
                .orElseThrow(() -> DataLocation.nothingAt(Files.isDirectory(pkiDir) ? pkiDir.resolve("ca.pem") : pkiDir, "lab"));
        if (!stored.missing().isEmpty()) {
            throw DataLocation.nothingAt(pkiDir.resolve(stored.missing().get(0).fileStem() + ".chain.pem"), "lab");
        }
        Path target = out.toAbsolutePath().normalize();
        try {
            Files.createDirectories(target);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + target + ": " + e.getMessage(), e);
        }
        Pem.write(target.resolve("ca.pem"), Pem.encode(stored.ca()));
        List<String> names = new ArrayList<>();
        for (LabProfile p : LabProfile.values()) {
            CertifiedKey key = stored.leaves().get(p.certificate());
            Pem.write(target.resolve(p.profileName() + ".chain.pem"),
                    Pem.encode(key.chain().toArray(java.security.cert.X509Certificate[]::new)));
            Pem.write(target.resolve(p.profileName() + ".key.pem"), Pem.encode(key.privateKey()));
            names.add(p.profileName());
        }
        spec.commandLine().getOut().println("wrote ca.pem and the chain and key of " + names.size() + " profiles to "
                + target + " (from the lab's PKI in " + stored.directory() + ")");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
