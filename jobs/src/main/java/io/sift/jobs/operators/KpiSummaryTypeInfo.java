package io.sift.jobs.operators;

import io.sift.core.health.KpiSummary;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * KPI summaries between operators in their compact form ({@link KpiSummarySerializer}) rather than as a POJO whose rates
 * map goes through Kryo; {@link #ACCUMULATOR}: the KPI window's accumulator ({@link KpiAccumulatorSerializer}).
 */
public final class KpiSummaryTypeInfo extends TypeInformation<KpiSummary> {

    private static final long serialVersionUID = 1L;

    public static final KpiSummaryTypeInfo INSTANCE = new KpiSummaryTypeInfo(false);
    /** The KPI window's accumulator state. */
    public static final KpiSummaryTypeInfo ACCUMULATOR = new KpiSummaryTypeInfo(true);

    private final boolean accumulator;

    private KpiSummaryTypeInfo(boolean accumulator) {
        this.accumulator = accumulator;
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<KpiSummary> getTypeClass() {
        return KpiSummary.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<KpiSummary> createSerializer(SerializerConfig config) {
        return accumulator ? KpiAccumulatorSerializer.INSTANCE : KpiSummarySerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return accumulator ? "KpiSummary (compact form, accumulator)" : "KpiSummary (compact form)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KpiSummaryTypeInfo info && info.accumulator == accumulator;
    }

    @Override
    public int hashCode() {
        return KpiSummaryTypeInfo.class.hashCode() + (accumulator ? 1 : 0);
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof KpiSummaryTypeInfo;
    }
}
