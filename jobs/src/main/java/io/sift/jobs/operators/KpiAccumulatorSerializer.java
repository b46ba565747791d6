package io.sift.jobs.operators;

import io.sift.core.health.KpiSummary;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed-state serializer of the KPI window's accumulator, which on RocksDB is read and rewritten for every partial
 * summary: the summary's compact form ({@link KpiSummary#writeTo}, the form {@link KpiSummarySerializer} also uses)
 * written straight into Flink's buffer, without the byte-array framing and copies of {@link ByteFormSerializer}.
 * Builds before kept the accumulator as a POJO, its rates map through Kryo: such state restores "compatible after
 * migration" (Flink reads it with the POJO serializer its savepoint names and rewrites it in this form). The snapshot
 * records the form; a later form must read the older ones here, as {@link KpiSummarySerializer} does.
 */
public final class KpiAccumulatorSerializer extends TypeSerializerSingleton<KpiSummary> {

    private static final long serialVersionUID = 1L;

    public static final KpiAccumulatorSerializer INSTANCE = new KpiAccumulatorSerializer();

    private KpiAccumulatorSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public KpiSummary createInstance() {
        return new KpiSummary();
    }

    @Override
    public KpiSummary copy(KpiSummary from) {
        if (from == null) {
            return null;
        }
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            from.writeTo(out);
            return KpiSummary.readFrom(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public KpiSummary copy(KpiSummary from, KpiSummary reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KpiSummary record, DataOutputView target) throws IOException {
        record.writeTo(target);
    }

    @Override
    public KpiSummary deserialize(DataInputView source) throws IOException {
        return KpiSummary.readFrom(source);
    }

    @Override
    public KpiSummary deserialize(KpiSummary reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<KpiSummary> snapshotConfiguration() {
        return new KpiAccumulatorSerializerSnapshot();
    }

    /** Snapshot of {@link KpiAccumulatorSerializer}: the form of {@link KpiSummary#writeTo} the state is in. */
    public static final class KpiAccumulatorSerializerSnapshot implements TypeSerializerSnapshot<KpiSummary> {

        private static final int VERSION = 1;
        private int form = KpiSummarySerializer.FORM;

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(form);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            if (readVersion != VERSION) {
                throw new IOException(getClass().getName() + ": unknown snapshot version " + readVersion
                        + " (written by a later build?)");
            }
            form = in.readInt();
        }

        @Override
        public TypeSerializer<KpiSummary> restoreSerializer() {
            if (form != KpiSummarySerializer.FORM) {
                throw new IllegalStateException("KPI window state in form " + form + "; this build reads form "
                        + KpiSummarySerializer.FORM + ": restore the savepoint with the build that wrote it");
            }
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<KpiSummary> resolveSchemaCompatibility(
                TypeSerializerSnapshot<KpiSummary> old) {
            if (old instanceof PojoSerializerSnapshot) {
                // The accumulator as builds before kept it: Flink reads it with the old snapshot's serializer.
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            if (old instanceof KpiAccumulatorSerializerSnapshot same && same.form == form) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
