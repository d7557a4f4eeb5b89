/**
 * The lab's certificate factory: a persisted lab CA with an intermediate, and one leaf per
 * {@link dev.doublelock.tls.pki.LabCertificate} with exactly one deliberate defect each (expired,
 * wrong host, SHA-1, ...). Built with Bouncy Castle used as a local provider instance; the JVM's
 * provider order is never changed. {@link dev.doublelock.tls.pki.CertificateBuilder} is the
 * general-purpose builder for tests and other packages, {@link dev.doublelock.tls.pki.Pem} reads
 * and writes PEM files. Level 0: imports only {@code dev.doublelock.tls}, the JDK and Bouncy Castle.
 */
package dev.doublelock.tls.pki;
