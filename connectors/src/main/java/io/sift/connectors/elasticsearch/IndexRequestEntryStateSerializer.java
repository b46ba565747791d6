package io.sift.connectors.elasticsearch;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Checkpoint format of buffered, not yet acknowledged documents. */
final class IndexRequestEntryStateSerializer
        extends AsyncSinkWriterStateSerializer<IndexRequestEntry> {

    private static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(IndexRequestEntry entry, DataOutputStream out)
            throws IOException {
        writeString(out, entry.index());
        out.writeBoolean(entry.id() != null);
        if (entry.id() != null) {
            writeString(out, entry.id());
        }
        out.writeLong(entry.externalVersion());
        out.writeInt(entry.source().length);
        out.write(entry.source());
    }

    @Override
    protected IndexRequestEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        String index = readString(in);
        String id = in.readBoolean() ? readString(in) : null;
        long version = in.readLong();
        byte[] source = new byte[in.readInt()];
        in.readFully(source);
        return version == IndexRequestEntry.NO_VERSION
                ? IndexRequestEntry.unversioned(index, id, source)
                : IndexRequestEntry.versioned(index, id, version, source);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
