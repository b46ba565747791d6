package io.sift.core.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.Resource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What makes an alert unusable (dead-lettered with the reason) and what passes. */
class AlertValidationTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private final InputValidator validator = new InputValidator(60_000, 0);

    private static Alert.Builder alert() {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint("f1").setStatus(AlertStatus.FIRING)
                .setSeverity(AlertSeverity.WARNING).setName("HighLatency")
                .setResource(Resource.newBuilder().setService("orders").build()).setStartsAt(T0).setTime(T0);
    }

    @Test
    void aCompleteAlertPasses() {
        assertNull(validator.check(alert().build(), T0.toEpochMilli()));
        assertNull(validator.check((Object) alert().build(), T0.toEpochMilli()));
        assertEquals(T0.toEpochMilli(), InputValidator.eventTime(alert().build()));
    }

    @Test
    void missingIdentityOrEntityOrAnEndBeforeItsStartIsRefusedWithTheReason() {
        var fingerprint = validator.check(alert().setFingerprint(" ").build(), T0.toEpochMilli());
        assertEquals(ErrorKinds.MISSING_FIELD, fingerprint.errorKind());
        assertTrue(fingerprint.message().contains("fingerprint"), fingerprint.message());
        assertEquals(ErrorKinds.MISSING_FIELD, validator.check(alert().setSource("").build(), T0.toEpochMilli())
                .errorKind());
        assertEquals(ErrorKinds.MISSING_FIELD, validator.check(alert().setName("").build(), T0.toEpochMilli())
                .errorKind());
        assertTrue(validator.check(alert().setResource(Resource.newBuilder().setService("").build()).build(),
                T0.toEpochMilli()) != null, "an alert about no entity");
        var backwards = validator.check(alert().setStatus(AlertStatus.RESOLVED).setEndsAt(T0.minusSeconds(60))
                .build(), T0.toEpochMilli());
        assertEquals(ErrorKinds.INVALID_VALUE, backwards.errorKind());
        assertTrue(validator.check(alert().setTime(T0.plusSeconds(3600)).build(), T0.toEpochMilli()) != null,
                "an alert from the future");
    }
}
