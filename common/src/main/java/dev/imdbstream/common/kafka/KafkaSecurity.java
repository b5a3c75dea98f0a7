package dev.imdbstream.common.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How every Kafka client of the project (producers, consumers, admin clients and Kafka Streams of the ingestor, trainer
 * and scorer, the local run's and the checks' tools) authenticates and encrypts: the one place that turns the
 * settings below into Kafka client properties. The services read them from their configuration, the tools from
 * system properties or the environment; both use the same names, the environment variable being the setting in
 * capitals with {@code _} for {@code .} and {@code -} ({@code kafka.sasl.username} is {@code KAFKA_SASL_USERNAME}).
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><td>{@code kafka.security.protocol}</td><td>{@code PLAINTEXT} (default), {@code SSL} (TLS; mutual TLS with a
 * key store), {@code SASL_SSL} (TLS and SASL), {@code SASL_PLAINTEXT}</td></tr>
 * <tr><td>{@code kafka.sasl.mechanism}</td><td>{@code SCRAM-SHA-512} (default), {@code SCRAM-SHA-256} or
 * {@code PLAIN}</td></tr>
 * <tr><td>{@code kafka.sasl.username}, {@code kafka.sasl.password}</td><td>the SASL credentials</td></tr>
 * <tr><td>{@code kafka.sasl.jaas.config}</td><td>instead of the two above: a whole JAAS line (what Strimzi puts in a
 * KafkaUser's Secret)</td></tr>
 * <tr><td>{@code kafka.ssl.truststore.location}, {@code .password}, {@code .type}</td><td>the CAs the broker's
 * certificate is checked against (PKCS12, JKS or PEM; without it: the JVM's CAs)</td></tr>
 * <tr><td>{@code kafka.ssl.keystore.location}, {@code .password}, {@code .type}, {@code kafka.ssl.key.password}</td>
 * <td>the client's certificate and key, for mutual TLS</td></tr>
 * <tr><td>{@code kafka.ssl.endpoint.identification.algorithm}</td><td>{@code https} (default: the broker's
 * certificate must name the host) or {@code none}</td></tr>
 * </table>
 *
 * <p>{@link #from} checks the combination and fails with a message naming the setting to fix, before any client
 * connects: a SASL protocol without credentials, a store that is not a readable file, a key store or credentials
 * that the protocol would ignore.
 */
public final class KafkaSecurity {

    public static final String PROTOCOL = "kafka.security.protocol";
    public static final String SASL_MECHANISM = "kafka.sasl.mechanism";
    public static final String SASL_USERNAME = "kafka.sasl.username";
    public static final String SASL_PASSWORD = "kafka.sasl.password";
    public static final String SASL_JAAS_CONFIG = "kafka.sasl.jaas.config";
    public static final String TRUSTSTORE_LOCATION = "kafka.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "kafka.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "kafka.ssl.truststore.type";
    public static final String KEYSTORE_LOCATION = "kafka.ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "kafka.ssl.keystore.password";
    public static final String KEYSTORE_TYPE = "kafka.ssl.keystore.type";
    public static final String KEY_PASSWORD = "kafka.ssl.key.password";
    public static final String ENDPOINT_IDENTIFICATION = "kafka.ssl.endpoint.identification.algorithm";

    /** Every setting read, in the order of the documentation. */
    public static final List<String> SETTINGS = List.of(PROTOCOL, SASL_MECHANISM, SASL_USERNAME, SASL_PASSWORD,
            SASL_JAAS_CONFIG, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, KEYSTORE_LOCATION,
            KEYSTORE_PASSWORD, KEYSTORE_TYPE, KEY_PASSWORD, ENDPOINT_IDENTIFICATION);

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Map<String, String> LOGIN_MODULES = Map.of(
            "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule",
            "PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

    private final String protocol;
    private final String principal;
    private final Map<String, Object> properties;

    private KafkaSecurity(String protocol, String principal, Map<String, Object> properties) {
        this.protocol = protocol;
        this.principal = principal;
        this.properties = Map.copyOf(properties);
    }

    /** No encryption, no authentication: Kafka's default. */
    public static KafkaSecurity plaintext() {
        return new KafkaSecurity("PLAINTEXT", null, Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
    }

    /**
     * Reads the settings through {@code settings} (a setting's name to its value, empty when not set).
     *
     * @throws IllegalArgumentException naming the setting to fix when the combination cannot work
     */
    public static KafkaSecurity from(Function<String, Optional<String>> settings) {
        Function<String, Optional<String>> get = name -> settings.apply(name).map(String::strip).filter(s -> !s.isEmpty());
        String protocol = get.apply(PROTOCOL).map(s -> s.toUpperCase(Locale.ROOT)).orElse("PLAINTEXT");
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException(PROTOCOL + " must be one of " + PROTOCOLS + ", not '" + protocol + "'");
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        String principal = null;

        Optional<String> username = get.apply(SASL_USERNAME);
        Optional<String> password = get.apply(SASL_PASSWORD);
        Optional<String> jaas = get.apply(SASL_JAAS_CONFIG);
        if (sasl) {
            String mechanism = get.apply(SASL_MECHANISM).map(s -> s.toUpperCase(Locale.ROOT)).orElse("SCRAM-SHA-512");
            if (!LOGIN_MODULES.containsKey(mechanism)) {
                throw new IllegalArgumentException(SASL_MECHANISM + " must be one of " + LOGIN_MODULES.keySet().stream()
                        .sorted().toList() + ", not '" + mechanism + "'");
            }
            p.put(SaslConfigs.SASL_MECHANISM, mechanism);
            if (jaas.isPresent()) {
                p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas.get());
                principal = username.orElseGet(() -> jaasUsername(jaas.get()));
            } else if (username.isPresent() && password.isPresent()) {
                p.put(SaslConfigs.SASL_JAAS_CONFIG, LOGIN_MODULES.get(mechanism) + " required username=\""
                        + jaasQuoted(username.get()) + "\" password=\"" + jaasQuoted(password.get()) + "\";");
                principal = username.get();
            } else {
                throw new IllegalArgumentException(PROTOCOL + "=" + protocol + " needs " + SASL_USERNAME + " and "
                        + SASL_PASSWORD + " (or " + SASL_JAAS_CONFIG + ")"
                        + (username.isPresent() ? ": " + SASL_PASSWORD + " is not set" : ""));
            }
        } else if (username.isPresent() || jaas.isPresent()) {
            throw new IllegalArgumentException(SASL_USERNAME + " or " + SASL_JAAS_CONFIG + " is set but " + PROTOCOL
                    + "=" + protocol + " does not use SASL: set it to SASL_SSL, or remove the credentials");
        }

        Optional<String> keystore = get.apply(KEYSTORE_LOCATION);
        Optional<String> truststore = get.apply(TRUSTSTORE_LOCATION);
        if (!tls && (keystore.isPresent() || truststore.isPresent())) {
            throw new IllegalArgumentException("a TLS trust or key store is set but " + PROTOCOL + "=" + protocol
                    + " does not use TLS: set it to SSL or SASL_SSL, or remove " + TRUSTSTORE_LOCATION + " and "
                    + KEYSTORE_LOCATION);
        }
        if (tls) {
            truststore.ifPresent(location -> {
                p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, readable(TRUSTSTORE_LOCATION, location));
                get.apply(TRUSTSTORE_TYPE).ifPresent(t -> p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, t.toUpperCase(Locale.ROOT)));
                get.apply(TRUSTSTORE_PASSWORD).ifPresent(s -> p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, s));
            });
            if (keystore.isPresent()) {
                p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, readable(KEYSTORE_LOCATION, keystore.get()));
                get.apply(KEYSTORE_TYPE).ifPresent(t -> p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, t.toUpperCase(Locale.ROOT)));
                get.apply(KEYSTORE_PASSWORD).ifPresent(s -> p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, s));
                get.apply(KEY_PASSWORD).ifPresent(s -> p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, s));
                if (principal == null) {
                    principal = "the certificate of " + keystore.get();
                }
            }
            get.apply(ENDPOINT_IDENTIFICATION).ifPresent(a -> p.put(
                    SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, a.equalsIgnoreCase("none") ? "" : a));
        }
        return new KafkaSecurity(protocol, principal, p);
    }

    /** Reads the settings from system properties, then from the environment ({@code KAFKA_SASL_USERNAME}, ...). */
    public static KafkaSecurity fromEnvironment() {
        return from(name -> Optional.ofNullable(System.getProperty(name)).or(() -> Optional.ofNullable(System.getenv(envName(name)))));
    }

    /** The environment variable of a setting, as MicroProfile Config maps it: {@code KAFKA_SASL_USERNAME}. */
    public static String envName(String setting) {
        return setting.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The Kafka client properties ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}); immutable. */
    public Map<String, Object> clientProperties() {
        return properties;
    }

    /** Adds the client properties to {@code props} (a client's configuration) and returns it. */
    public <M extends Map<? super String, Object>> M applyTo(M props) {
        props.putAll(properties);
        return props;
    }

    /** Adds the client properties to {@code props} and returns it. */
    public java.util.Properties applyTo(java.util.Properties props) {
        props.putAll(properties);
        return props;
    }

    public String protocol() {
        return protocol;
    }

    /** Whether the broker learns who the client is (SASL credentials or a client certificate). */
    public boolean authenticated() {
        return principal != null;
    }

    /** For logs, without secrets: {@code SASL_SSL (SCRAM-SHA-512) as trainer}. */
    public String describe() {
        Object mechanism = properties.get(SaslConfigs.SASL_MECHANISM);
        return protocol + (mechanism == null ? "" : " (" + mechanism + ")")
                + (principal == null ? "" : " as " + principal);
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String readable(String setting, String location) {
        Path path = Path.of(location);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(setting + "=" + location + " is not a readable file");
        }
        return location;
    }

    /** JAAS values are double-quoted; a quote or backslash in a password is escaped. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String jaasUsername(String jaas) {
        var m = java.util.regex.Pattern.compile("username\\s*=\\s*\"([^\"]*)\"").matcher(jaas);
        return m.find() ? m.group(1) : "the user of " + SASL_JAAS_CONFIG;
    }
}
