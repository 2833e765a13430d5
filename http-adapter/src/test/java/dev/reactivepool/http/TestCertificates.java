package dev.reactivepool.http;

import java.security.cert.CertificateException;

import io.netty.handler.ssl.util.SelfSignedCertificate;

/** A self-signed certificate for 127.0.0.1, generated once per test JVM. */
final class TestCertificates {

    private static SelfSignedCertificate certificate;

    private TestCertificates() {
    }

    static synchronized SelfSignedCertificate localhost() {
        if (certificate == null) {
            try {
                certificate = new SelfSignedCertificate("localhost");
            }
            catch (CertificateException e) {
                throw new IllegalStateException("cannot generate a self-signed certificate", e);
            }
        }
        return certificate;
    }
}
