package dev.reactivepool.http;

import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;

/**
 * A self-signed certificate generated once per test JVM by Netty (which works on JDK 17 here),
 * and server TLS contexts using it.
 */
final class TestCertificates {

    private static final Object LOCK = new Object();
    private static volatile X509Certificate certificate;
    private static volatile PrivateKey privateKey;

    private TestCertificates() {
    }

    // Netty deprecates SelfSignedCertificate in favour of its pkitesting module; for a test-only
    // certificate it does the job without another dependency.
    @SuppressWarnings("deprecation")
    private static void generate() {
        synchronized (LOCK) {
            if (certificate == null) {
                try {
                    SelfSignedCertificate generated = new SelfSignedCertificate("localhost");
                    privateKey = generated.key();
                    certificate = generated.cert();
                }
                catch (CertificateException e) {
                    throw new IllegalStateException("cannot generate a self-signed certificate", e);
                }
            }
        }
    }

    static SslContext http11Server() throws SSLException {
        generate();
        return Http11SslContextSpec.forServer(privateKey, certificate).sslContext();
    }

    static SslContext http2Server() throws SSLException {
        generate();
        return Http2SslContextSpec.forServer(privateKey, certificate).sslContext();
    }
}
