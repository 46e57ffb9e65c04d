package io.opsd.grpc.server.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.opsd.grpc.tls.PemFiles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key and the trusted client CAs, read from PEM files and read again at the first handshake after
 * one of them changed: a rotated certificate is served from the next connection on, and connections already
 * open keep theirs. A file that no longer reads (half written, wrong key) is logged and the previous material
 * is kept; it never turns TLS off.
 */
final class ReloadingTls {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTls.class);
    private static final char[] NO_PASSWORD = new char[0];

    private final ServerSettings.TlsFiles files;
    private final java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Material current;
    /** The material before the last reload, for a handshake that chose its alias just before the swap. */
    private volatile Material previous;

    /** {@code alias} is new at every load, so a chain and a key are never taken from two different loads. */
    private record Material(List<String> stamps, String alias, X509ExtendedKeyManager keys,
                            Optional<X509ExtendedTrustManager> clients) {
    }

    /** Reads the files now: a failure here refuses the configuration. */
    ReloadingTls(ServerSettings.TlsFiles files) throws IOException {
        this.files = files;
        this.current = load();
    }

    X509ExtendedKeyManager keyManager() {
        return new KeyManager();
    }

    Optional<X509ExtendedTrustManager> trustManager() {
        return files.clientCa().map(p -> new TrustManager());
    }

    private Material material() {
        Material m = current;
        List<String> now = stamps();
        if (!now.equals(m.stamps())) {
            synchronized (this) {
                m = current;
                if (!now.equals(m.stamps())) {
                    try {
                        Material loaded = load();
                        previous = m;
                        m = loaded;
                        current = m;
                        LOG.info("TLS material re-read from {}", paths());
                    } catch (IOException | RuntimeException e) {
                        LOG.error("TLS files changed but cannot be read ({}); still serving the previous certificate",
                            e.getMessage());
                        // do not try again at every handshake until a file changes again
                        m = new Material(now, m.alias(), m.keys(), m.clients());
                        current = m;
                    }
                }
            }
        }
        return m;
    }

    private List<Path> paths() {
        List<Path> p = new ArrayList<>(List.of(files.certificate(), files.key()));
        files.clientCa().ifPresent(p::add);
        return p;
    }

    private List<String> stamps() {
        List<String> stamps = new ArrayList<>();
        for (Path p : paths()) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                stamps.add(a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey());
            } catch (IOException e) {
                stamps.add("missing");
            }
        }
        return stamps;
    }

    private Material load() throws IOException {
        List<String> stamps = stamps();
        List<X509Certificate> chain = PemFiles.certificates(files.certificate());
        PrivateKey key = PemFiles.privateKey(files.key());
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            String alias = "opsd-" + loads.incrementAndGet();
            ks.setKeyEntry(alias, key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
            X509ExtendedKeyManager keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
            if (!matches(key, chain.get(0))) {
                throw new IOException(files.key() + " does not hold the private key of the certificate in "
                    + files.certificate());
            }
            chain.get(0).checkValidity();
            Optional<X509ExtendedTrustManager> clients = Optional.empty();
            if (files.clientCa().isPresent()) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : PemFiles.certificates(files.clientCa().get())) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                clients = Optional.of((X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
            }
            return new Material(stamps, alias, keys, clients);
        } catch (CertificateException e) {
            throw new IOException(files.certificate() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException(files.key() + " and " + files.certificate() + " do not make a usable key: "
                + e.getMessage(), e);
        }
    }

    private static boolean matches(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "opsd key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.security.Signature sign = java.security.Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance(algorithm);
        try {
            verify.initVerify(certificate.getPublicKey());
        } catch (java.security.InvalidKeyException e) {
            return false; // a key of another kind than the certificate's
        }
        verify.update(probe);
        return verify.verify(signature);
    }

    /** The key manager the TLS engine asks at each handshake. */
    private final class KeyManager extends X509ExtendedKeyManager {

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return material().keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return material().keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return byAlias(alias).keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return byAlias(alias).keys().getPrivateKey(alias);
        }

        private Material byAlias(String alias) {
            Material m = current;
            Material before = previous;
            return before != null && !m.alias().equals(alias) && before.alias().equals(alias) ? before : m;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return current.keys().getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    /** Checks client certificates against the client CA file, as it is now. */
    private final class TrustManager extends X509ExtendedTrustManager {

        private X509ExtendedTrustManager delegate() {
            return material().clients().orElseThrow();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            delegate().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            delegate().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
            throw new CertificateException("the server does not check server certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
            throw new CertificateException("the server does not check server certificates");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the server does not check server certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate().getAcceptedIssuers();
        }
    }
}
