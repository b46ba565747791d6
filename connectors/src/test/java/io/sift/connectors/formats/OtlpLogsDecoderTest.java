package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.LogRecord;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** OTLP logs as the OpenTelemetry SDK's own marshalers write them, decoded into LogRecords. */
class OtlpLogsDecoderTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void severityBodyAttributesTraceContextAndResourceInBothEncodings() throws Exception {
        InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
        TestClock clock = TestClock.create(OtlpMetricsDecoderTest.START);
        SdkLoggerProvider provider = SdkLoggerProvider.builder().setClock(clock)
                .setResource(OtlpMetricsDecoderTest.resource())
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
        Logger logger = provider.get("io.sift.test");
        Context traced = Context.root().with(Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
                TraceState.getDefault())));
        Instant at = Instant.parse("2026-12-01T10:00:05.250Z");
        logger.logRecordBuilder().setTimestamp(at).setSeverity(Severity.ERROR).setSeverityText("ERROR")
                .setBody("payment declined: card expired").setAllAttributes(Attributes.builder()
                        .put("code.function", "charge").put("retry", 3L).build())
                .setContext(traced).emit();
        logger.logRecordBuilder().setTimestamp(at.plusMillis(1)).setSeverityText("warning").setBody("slow").emit();
        provider.forceFlush().join(5, TimeUnit.SECONDS);

        ByteArrayOutputStream proto = new ByteArrayOutputStream();
        LogsRequestMarshaler.create(exporter.getFinishedLogRecordItems()).writeBinaryTo(proto);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LogsRequestMarshaler.create(exporter.getFinishedLogRecordItems()).writeJsonTo(json);

        for (InputFormat format : List.of(InputFormat.OTLP_PROTO, InputFormat.OTLP_JSON)) {
            List<LogRecord> logs = new ArrayList<>();
            new OtlpLogsDecoder(format, OtlpSettings.defaults())
                    .decode(format == InputFormat.OTLP_PROTO ? proto.toByteArray() : json.toByteArray(), logs);
            assertEquals(2, logs.size(), format.toString());
            LogRecord error = logs.get(0);
            assertEquals(at, error.getTime());
            assertEquals(17, error.getSeverityNumber());
            assertEquals("ERROR", error.getSeverityText());
            assertEquals("payment declined: card expired", error.getBody());
            assertEquals("charge", error.getAttributes().get("code.function"));
            assertEquals("3", error.getAttributes().get("retry"));
            assertEquals("shop", error.getAttributes().get("service.namespace"));
            assertEquals(TRACE, error.getTraceId(), format + ": hex trace id");
            assertEquals(SPAN, error.getSpanId());
            assertEquals("checkout", error.getResource().getService());
            assertEquals("checkout-5d8f-x2", error.getResource().getInstance());

            LogRecord warning = logs.get(1);
            assertEquals(13, warning.getSeverityNumber(), "severity from the text when the number is unset");
            assertNull(warning.getTraceId());
        }
        provider.close();
    }

    @Test
    void aMetricsRequestOnALogsTopicIsNotTakenForLogs() throws Exception {
        // Field 1 of both requests is a repeated message: metrics bytes parse as logs with unknown inner fields, so
        // the outcome must be either a refusal or records; never an exception other than DecodeException.
        List<LogRecord> logs = new ArrayList<>();
        DecodeException e = assertThrows(DecodeException.class, () -> new OtlpLogsDecoder(InputFormat.OTLP_PROTO,
                OtlpSettings.defaults()).decode("not protobuf at all".getBytes(), logs));
        assertEquals(ErrorKinds.MALFORMED_OTLP, e.errorKind());
    }

    @Test
    void severityTextsOfCommonLibraries() {
        assertEquals(17, OtlpLogsDecoder.severityOf("err"));
        assertEquals(21, OtlpLogsDecoder.severityOf("CRIT"));
        assertEquals(9, OtlpLogsDecoder.severityOf("Info"));
        assertEquals(0, OtlpLogsDecoder.severityOf("verbose-ish"));
    }
}
