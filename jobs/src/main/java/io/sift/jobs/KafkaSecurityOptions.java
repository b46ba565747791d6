package io.sift.jobs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * How Sift's Kafka clients (sources, incident and dead-letter producers) authenticate and encrypt. Passwords are never
 * settings: the settings name an environment variable or a file. Kafka's own client logging hides password-typed
 * properties ({@code sasl.jaas.config}, {@code ssl.truststore.password}).
 */
public final class KafkaSecurityOptions {

    private KafkaSecurityOptions() {}

    public static final ConfigOption<String> PROTOCOL = ConfigOptions.key("sift.kafka.security.protocol")
            .stringType().defaultValue("PLAINTEXT")
            .withDescription("PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (Kafka's security.protocol).");

    public static final ConfigOption<String> SASL_MECHANISM = ConfigOptions.key("sift.kafka.sasl.mechanism")
            .stringType().defaultValue("SCRAM-SHA-512")
            .withDescription("PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; used with a SASL_* protocol.");

    public static final ConfigOption<String> SASL_USERNAME = ConfigOptions.key("sift.kafka.sasl.username")
            .stringType().noDefaultValue().withDescription("SASL user; required with a SASL_* protocol.");

    public static final ConfigOption<String> SASL_PASSWORD_ENV = ConfigOptions.key("sift.kafka.sasl.password-env")
            .stringType().noDefaultValue().withDescription("Environment variable holding the SASL password.");

    public static final ConfigOption<String> SASL_PASSWORD_FILE = ConfigOptions.key("sift.kafka.sasl.password-file")
            .stringType().noDefaultValue().withDescription("File holding the SASL password (e.g. a mounted secret).");

    public static final ConfigOption<String> TRUSTSTORE = ConfigOptions.key("sift.kafka.ssl.truststore")
            .stringType().noDefaultValue()
            .withDescription("Trust store for the brokers' certificates: a PEM file (*.pem, *.crt) or a JKS/PKCS12 store;"
                    + " unset means the JVM's trust store.");

    public static final ConfigOption<String> TRUSTSTORE_PASSWORD_ENV = ConfigOptions
            .key("sift.kafka.ssl.truststore-password-env").stringType().noDefaultValue()
            .withDescription("Environment variable holding the JKS/PKCS12 trust store password.");

    /** The Kafka client properties the settings ask for; empty for PLAINTEXT. Refuses incomplete settings. */
    public static Map<String, String> clientProperties(Configuration conf) {
        String protocol = conf.get(PROTOCOL).trim().toUpperCase(Locale.ROOT);
        Map<String, String> properties = new LinkedHashMap<>();
        switch (protocol) {
            case "PLAINTEXT" -> {
                if (conf.get(TRUSTSTORE) != null) {
                    throw new IllegalArgumentException(TRUSTSTORE.key() + " is set but " + PROTOCOL.key()
                            + " is PLAINTEXT: use SSL or SASL_SSL");
                }
                return properties;
            }
            case "SSL", "SASL_PLAINTEXT", "SASL_SSL" -> properties.put("security.protocol", protocol);
            default -> throw new IllegalArgumentException(PROTOCOL.key() + " is '" + conf.get(PROTOCOL)
                    + "': use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
        }
        if (protocol.startsWith("SASL")) {
            String mechanism = conf.get(SASL_MECHANISM).trim().toUpperCase(Locale.ROOT);
            String loginModule = switch (mechanism) {
                case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
                case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
                default -> throw new IllegalArgumentException(SASL_MECHANISM.key() + " is '" + mechanism
                        + "': use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            };
            String username = conf.get(SASL_USERNAME);
            String password = SiftWiring.secret(conf.get(SASL_PASSWORD_ENV), conf.get(SASL_PASSWORD_FILE));
            if (username == null || username.isBlank() || password == null) {
                throw new IllegalArgumentException(protocol + " needs " + SASL_USERNAME.key() + " and the password in "
                        + SASL_PASSWORD_ENV.key() + " or " + SASL_PASSWORD_FILE.key());
            }
            properties.put("sasl.mechanism", mechanism);
            properties.put("sasl.jaas.config", loginModule + " required username=\"" + jaasEscape(username)
                    + "\" password=\"" + jaasEscape(password) + "\";");
        }
        String truststore = conf.get(TRUSTSTORE);
        if (truststore != null && !truststore.isBlank()) {
            if (!protocol.endsWith("SSL")) {
                throw new IllegalArgumentException(TRUSTSTORE.key() + " is set but " + PROTOCOL.key() + " is "
                        + protocol + ": use SSL or SASL_SSL");
            }
            String lower = truststore.toLowerCase(Locale.ROOT);
            boolean pem = lower.endsWith(".pem") || lower.endsWith(".crt");
            properties.put("ssl.truststore.location", truststore);
            properties.put("ssl.truststore.type", pem ? "PEM" : lower.endsWith(".jks") ? "JKS" : "PKCS12");
            String password = SiftWiring.secret(conf.get(TRUSTSTORE_PASSWORD_ENV), null);
            if (password != null) {
                properties.put("ssl.truststore.password", password);
            }
        }
        return properties;
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
