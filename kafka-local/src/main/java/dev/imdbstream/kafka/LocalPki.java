package dev.imdbstream.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for a {@link LocalKafka} with TLS listeners, made with Bouncy Castle (no
 * {@code keytool} processes): a CA, the broker's certificate (for {@code 127.0.0.1} and {@code localhost}) and one
 * client certificate per name ({@code CN=<name>}, the Kafka user under mutual TLS), all signed by the CA. Stores are
 * PKCS12 files in {@code dir}, all with the same password: {@code truststore.p12} (the CA), {@code <name>.p12} (a key
 * and its chain), and {@code ca.crt} (PEM). A directory that already holds them is reused, new names added.
 */
public final class LocalPki {

    public static final String BROKER = "broker";
    private static final String PASSWORD_FILE = "password";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final Path dir;
    private final String password;

    private LocalPki(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /**
     * Opens or creates the authority in {@code dir}, with a certificate for the broker and for each of {@code clients}
     * (made when missing).
     */
    public static LocalPki create(Path dir, Collection<String> clients) {
        try {
            Files.createDirectories(dir);
            Path passwordFile = dir.resolve(PASSWORD_FILE);
            if (!Files.exists(passwordFile)) {
                byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                Files.writeString(passwordFile, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
                try {
                    Files.setPosixFilePermissions(passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: left as the platform made it
                }
            }
            LocalPki pki = new LocalPki(dir, Files.readString(passwordFile).strip());
            pki.ensure(clients);
            return pki;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificates in " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make certificates: " + e.getMessage(), e);
        }
    }

    /** The password of every store and key. */
    public String password() {
        return password;
    }

    /** The CA's certificate as a PKCS12 trust store. */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The CA's certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** The key and certificate chain of {@code name} ({@link #BROKER} or a client), PKCS12. */
    public Path keystore(String name) {
        Path file = dir.resolve(name + ".p12");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no certificate for " + name + " in " + dir);
        }
        return file;
    }

    /** The settings of {@link dev.imdbstream.common.kafka.KafkaSecurity} that trust this CA. */
    public Map<String, String> trustSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.ssl.truststore.location", truststore().toString());
        s.put("kafka.ssl.truststore.password", password);
        s.put("kafka.ssl.truststore.type", "PKCS12");
        return s;
    }

    /** The settings of a client authenticated by its certificate ({@code kafka.security.protocol=SSL}). */
    public Map<String, String> mutualTlsSettings(String name) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("kafka.security.protocol", "SSL");
        s.putAll(trustSettings());
        s.put("kafka.ssl.keystore.location", keystore(name).toString());
        s.put("kafka.ssl.keystore.password", password);
        s.put("kafka.ssl.keystore.type", "PKCS12");
        return s;
    }

    private void ensure(Collection<String> clients) throws IOException, GeneralSecurityException, OperatorCreationException {
        Path caStore = dir.resolve("ca.p12");
        KeyStore ca;
        if (Files.exists(caStore)) {
            ca = load(caStore);
        } else {
            KeyPair keys = keyPair();
            X500Name name = new X500Name("CN=imdb-stream local CA");
            X509v3CertificateBuilder b = builder(name, name, keys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate cert = sign(b, keys.getPrivate());
            ca = KeyStore.getInstance("PKCS12");
            ca.load(null, null);
            ca.setKeyEntry("ca", keys.getPrivate(), password.toCharArray(), new Certificate[] {cert});
            store(ca, caStore);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", cert);
            store(trust, truststore());
            Files.writeString(caCertificate(), "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        }
        PrivateKey caKey = (PrivateKey) ca.getKey("ca", password.toCharArray());
        X509Certificate caCert = (X509Certificate) ca.getCertificate("ca");
        if (!Files.exists(dir.resolve(BROKER + ".p12"))) {
            leaf(BROKER, caKey, caCert, true);
        }
        for (String client : clients) {
            if (!client.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("not a certificate name: " + client);
            }
            if (!Files.exists(dir.resolve(client + ".p12"))) {
                leaf(client, caKey, caCert, false);
            }
        }
    }

    private void leaf(String name, PrivateKey caKey, X509Certificate caCert, boolean server)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder b = builder(X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + name), keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(server
                ? new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}
                : new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        X509Certificate cert = sign(b, caKey);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(name, keys.getPrivate(), password.toCharArray(), new Certificate[] {cert, caCert});
        store(ks, dir.resolve(name + ".p12"));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys)
            throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        b.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return b;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private void store(KeyStore ks, Path file) throws IOException, GeneralSecurityException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password.toCharArray());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
