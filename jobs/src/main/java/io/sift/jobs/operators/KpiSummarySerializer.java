package io.sift.jobs.operators;

import io.sift.core.health.KpiSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Keyed-state serializer of the KPI summaries service health holds until their window is due: their compact form
 * ({@link KpiSummary#writeTo}) instead of Flink's POJO serializer, which falls back to Kryo for the rates map and made
 * reading a window's summaries on RocksDB most of the health operator's time. Form 1: {@link KpiSummary#writeTo}.
 */
public final class KpiSummarySerializer extends ByteFormSerializer<KpiSummary> {

    private static final long serialVersionUID = 1L;
    /** The form this build writes. */
    static final int FORM = 1;

    public static final KpiSummarySerializer INSTANCE = new KpiSummarySerializer(FORM);

    private KpiSummarySerializer(int readForm) {
        super(readForm);
    }

    @Override
    protected int currentForm() {
        return FORM;
    }

    @Override
    protected byte[] toBytes(KpiSummary value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            value.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    protected KpiSummary fromBytes(int form, byte[] bytes) {
        if (form != FORM) {
            throw new IllegalArgumentException("unknown KPI summary form " + form + "; this build reads form " + FORM);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return KpiSummary.readFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected KpiSummarySerializer reading(int form) {
        return form == FORM ? INSTANCE : new KpiSummarySerializer(form);
    }

    @Override
    public KpiSummarySerializerSnapshot snapshotConfiguration() {
        return new KpiSummarySerializerSnapshot();
    }

    /** Snapshot of {@link KpiSummarySerializer}: the form version. */
    public static final class KpiSummarySerializerSnapshot extends ByteFormSerializer.FormSnapshot<KpiSummary> {
        @Override
        protected KpiSummarySerializer current() {
            return INSTANCE;
        }
    }
}
