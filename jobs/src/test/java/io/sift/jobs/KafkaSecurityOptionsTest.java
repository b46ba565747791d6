package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityOptionsTest {

    @Test
    void plaintextAddsNothing() {
        assertEquals(Map.of(), KafkaSecurityOptions.clientProperties(new Configuration()));
    }

    @Test
    void saslSslBuildsTheJaasConfigFromAPasswordFileAndAPemTrustStore(@TempDir Path folder) throws Exception {
        Path password = folder.resolve("kafka-password");
        Files.writeString(password, "p\"w\n");
        Configuration conf = new Configuration();
        conf.set(KafkaSecurityOptions.PROTOCOL, "sasl_ssl");
        conf.set(KafkaSecurityOptions.SASL_USERNAME, "sift");
        conf.set(KafkaSecurityOptions.SASL_PASSWORD_FILE, password.toString());
        conf.set(KafkaSecurityOptions.TRUSTSTORE, "/etc/kafka/ca.pem");

        Map<String, String> properties = KafkaSecurityOptions.clientProperties(conf);

        assertEquals("SASL_SSL", properties.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", properties.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sift\" password=\"p\\\"w\";",
                properties.get("sasl.jaas.config"));
        assertEquals("PEM", properties.get("ssl.truststore.type"));
        assertEquals("/etc/kafka/ca.pem", properties.get("ssl.truststore.location"));
    }

    @Test
    void incompleteOrContradictorySettingsAreRefusedSayingWhatToSet() {
        Configuration noPassword = new Configuration();
        noPassword.set(KafkaSecurityOptions.PROTOCOL, "SASL_PLAINTEXT");
        noPassword.set(KafkaSecurityOptions.SASL_USERNAME, "sift");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurityOptions.clientProperties(noPassword));
        assertTrue(refused.getMessage().contains("sift.kafka.sasl.password-env"), refused.getMessage());

        Configuration trustWithoutTls = new Configuration();
        trustWithoutTls.set(KafkaSecurityOptions.TRUSTSTORE, "/etc/kafka/ca.pem");
        assertThrows(IllegalArgumentException.class, () -> KafkaSecurityOptions.clientProperties(trustWithoutTls));

        Configuration typo = new Configuration();
        typo.set(KafkaSecurityOptions.PROTOCOL, "TLS");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSecurityOptions.clientProperties(typo))
                .getMessage().contains("SASL_SSL"));
    }
}
