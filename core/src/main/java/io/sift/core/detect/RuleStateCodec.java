package io.sift.core.detect;

import io.sift.schema.Anomaly;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A compact binary form of {@link RuleState} whose open episodes survive changes of the {@link Anomaly} schema: the
 * whole value is Avro binary (primitives for the breach starts and burn-rate buckets, the episodes as Avro records of
 * an episode schema), and the episode schema is kept apart from the bytes (the job records it once per snapshot).
 * Reading resolves the episodes from the schema they were written with into this build's {@link Anomaly} (a field
 * added later with a default reads as its default, a field removed since is skipped), which Java serialization of
 * the generated class cannot do: its serial id is the schema's fingerprint and it decodes with the current schema
 * only.
 *
 * <pre>
 * value     := lastSeen:long  thresholds:int (key:string breachSince:long episode)*  slos:int (key:string windows episode)*
 * episode   := 0 | 1 Anomaly        (a union index, as Avro writes ["null", Anomaly])
 * windows   := see {@link BurnWindows#writeTo}
 * </pre>
 *
 * A codec writes and reads episodes of one schema: this build's ({@link #current()}), or the schema of the build
 * that wrote the bytes ({@link #of(Schema)}), which is also how a test plays an older build. Codecs are immutable and
 * may be shared between threads (Avro's datum readers keep their schema resolvers per thread).
 */
public final class RuleStateCodec {

    private static final SpecificData MODEL = SpecificData.getForClass(Anomaly.class);
    private static final RuleStateCodec CURRENT = new RuleStateCodec(Anomaly.getClassSchema());

    private final Schema episodeSchema;
    /** Whether the episodes are in this build's schema (else projected onto the other one when written). */
    private final boolean own;
    private final DatumWriter<Object> writer;
    private final SpecificDatumReader<Anomaly> reader;

    private RuleStateCodec(Schema episodeSchema) {
        if (episodeSchema.getType() != Schema.Type.RECORD
                || !Anomaly.getClassSchema().getFullName().equals(episodeSchema.getFullName())) {
            throw new IllegalArgumentException("episode schema must be a version of " + Anomaly.getClassSchema()
                    .getFullName() + ", got " + episodeSchema.getFullName());
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(Anomaly.getClassSchema(), episodeSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IllegalArgumentException("episodes written with this Anomaly schema cannot be read by this"
                    + " build's (" + compatibility.getDescription() + "): restore with a build whose Anomaly schema"
                    + " gives the fields it added defaults");
        }
        this.episodeSchema = episodeSchema;
        this.own = episodeSchema.equals(Anomaly.getClassSchema());
        this.writer = own
                ? new SpecificDatumWriter<>(episodeSchema, MODEL)
                : new GenericDatumWriter<>(episodeSchema, MODEL);
        this.reader = new SpecificDatumReader<>(episodeSchema, Anomaly.getClassSchema(), MODEL);
    }

    /** Episodes in this build's {@link Anomaly} schema. */
    public static RuleStateCodec current() {
        return CURRENT;
    }

    /** Episodes in the given version of the {@link Anomaly} schema (refused if this build cannot read it). */
    public static RuleStateCodec of(Schema episodeSchema) {
        return episodeSchema.equals(Anomaly.getClassSchema()) ? CURRENT : new RuleStateCodec(episodeSchema);
    }

    public Schema episodeSchema() {
        return episodeSchema;
    }

    public byte[] encode(RuleState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            out.writeLong(state.lastSeen);
            out.writeInt(state.thresholds.size());
            for (Map.Entry<String, RuleState.Threshold> e : state.thresholds.entrySet()) {
                out.writeString(e.getKey());
                out.writeLong(e.getValue().breachSince);
                writeEpisode(out, e.getValue().episode);
            }
            out.writeInt(state.slos.size());
            for (Map.Entry<String, RuleState.Slo> e : state.slos.entrySet()) {
                out.writeString(e.getKey());
                e.getValue().windows.writeTo(out);
                writeEpisode(out, e.getValue().episode);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public RuleState decode(byte[] bytes) {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            RuleState state = new RuleState();
            state.lastSeen = in.readLong();
            for (int n = count(in); n > 0; n--) {
                RuleState.Threshold t = new RuleState.Threshold();
                String key = in.readString();
                t.breachSince = in.readLong();
                t.episode = readEpisode(in);
                state.thresholds.put(key, t);
            }
            for (int n = count(in); n > 0; n--) {
                String key = in.readString();
                RuleState.Slo s = new RuleState.Slo(BurnWindows.readFrom(in));
                s.episode = readEpisode(in);
                state.slos.put(key, s);
            }
            if (!in.isEnd()) {
                throw new IOException("rule state: bytes left after the value (written in another form?)");
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(Decoder in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("rule state: negative count " + n);
        }
        return n;
    }

    private void writeEpisode(Encoder out, Anomaly episode) throws IOException {
        if (episode == null) {
            out.writeIndex(0);
            return;
        }
        out.writeIndex(1);
        writer.write(own ? episode : project(episode), out);
    }

    private Anomaly readEpisode(Decoder in) throws IOException {
        return switch (in.readIndex()) {
            case 0 -> null;
            case 1 -> reader.read(null, in);
            default -> throw new IOException("rule state: bad episode marker");
        };
    }

    /** The episode as a record of the codec's (other) schema, field by field by name: what its build held. */
    private GenericData.Record project(Anomaly episode) {
        GenericData.Record record = new GenericData.Record(episodeSchema);
        for (Schema.Field f : episodeSchema.getFields()) {
            Schema.Field current = Anomaly.getClassSchema().getField(f.name());
            record.put(f.pos(), current == null ? GenericData.get().getDefaultValue(f) : episode.get(current.pos()));
        }
        return record;
    }
}
