package dev.doublelock.cli;

import dev.doublelock.lab.LabProfile;
import dev.doublelock.tls.pki.CertifiedKey;
import dev.doublelock.tls.pki.LabPki;
import dev.doublelock.tls.pki.Pem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code doublelock lab certs}: exports the lab's certificates as PEM. */
@Command(name = "certs", mixinStandardHelpOptions = true,
        description = "Exports, as PEM, the certificates the lab using that data dir serves (creating them if absent): "
                + "ca.pem and per profile <name>.chain.pem and <name>.key.pem.")
final class LabCertsCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "doublelock-data/lab", description = "Lab data directory (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--host", defaultValue = "localhost", description = "Lab host name (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--out", required = true, description = "Directory to write the PEM files to.")
    Path out;

    @Override
    public Integer call() throws Exception {
        LabPki pki = LabPki.loadOrCreate(data.resolve("pki"), host);
        Files.createDirectories(out);
        Pem.write(out.resolve("ca.pem"), Pem.encode(pki.caCertificate()));
        for (LabProfile p : LabProfile.values()) {
            CertifiedKey key = pki.certificate(p.certificate());
            Pem.write(out.resolve(p.profileName() + ".chain.pem"),
                    Pem.encode(key.chain().toArray(java.security.cert.X509Certificate[]::new)));
            Pem.write(out.resolve(p.profileName() + ".key.pem"), Pem.encode(key.privateKey()));
        }
        System.out.println("wrote ca.pem and the chain and key of " + LabProfile.values().length + " profiles to " + out);
        return 0;
    }
}
