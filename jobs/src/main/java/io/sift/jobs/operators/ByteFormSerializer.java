package io.sift.jobs.operators;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Keyed-state serializer of a plain-Java state object that has its own compact serial form: written as a
 * length-prefixed byte array, copied through that form. The form is versioned: this build writes
 * {@link #currentForm()}, and its snapshot ({@link FormSnapshot}) records the form a savepoint's state was written
 * in, so a later build that changes the form still reads the old bytes (its restore serializer reads the old form,
 * Flink migrates the state to the new one). Subclasses name the form, the forms they can read and their snapshot.
 */
abstract class ByteFormSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 2L;

    /** The form of the bytes this serializer reads: the current one, or an older one while restoring. */
    private final int readForm;

    protected ByteFormSerializer(int readForm) {
        this.readForm = readForm;
    }

    /** The form this build writes (1, 2, ...); raise it when the bytes change and keep reading the older ones. */
    protected abstract int currentForm();

    /** The value in the current form. */
    protected abstract byte[] toBytes(T value);

    /** The value from bytes of the given form (any form up to the current one). */
    protected abstract T fromBytes(int form, byte[] bytes);

    /** This serializer reading bytes of an older form (and writing the current one): the restore serializer. */
    protected abstract ByteFormSerializer<T> reading(int form);

    @Override
    public abstract FormSnapshot<T> snapshotConfiguration();

    public final int readForm() {
        return readForm;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return this;
    }

    @Override
    public T createInstance() {
        return null;
    }

    @Override
    public T copy(T from) {
        return from == null ? null : fromBytes(currentForm(), toBytes(from));
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        byte[] bytes = toBytes(record);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public T deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return fromBytes(readForm, bytes);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((ByteFormSerializer<?>) other).readForm == readForm;
    }

    @Override
    public int hashCode() {
        return 31 * getClass().hashCode() + readForm;
    }

    /**
     * Snapshot of a {@link ByteFormSerializer}: the form version of the state. Snapshots written before forms were
     * versioned (Flink's {@code SimpleTypeSerializerSnapshot} under the same class name, version 3, no payload) are
     * form 1. A snapshot of an older form resolves as compatible after migration, the same form as compatible as is,
     * and a newer form (a savepoint of a later build) as incompatible.
     */
    public abstract static class FormSnapshot<T> implements TypeSerializerSnapshot<T> {

        /** The version {@code SimpleTypeSerializerSnapshot} wrote (2 carried the serializer's class name). */
        static final int UNVERSIONED_FORM_SNAPSHOT = 3;
        /** This snapshot's own version: the form as an int. */
        static final int VERSION = 4;

        private int form;

        /** The serializer of this build (its current form). */
        protected abstract ByteFormSerializer<T> current();

        /** The form of the state this snapshot describes. */
        public final int form() {
            return form > 0 ? form : current().currentForm();
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(form());
            writeFormDetails(form(), out);
        }

        /** What else a form needs recorded to be read (after the form number; nothing by default). */
        protected void writeFormDetails(int form, DataOutputView out) throws IOException {}

        /** Reads what {@link #writeFormDetails} wrote for this form. */
        protected void readFormDetails(int form, DataInputView in) throws IOException {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader)
                throws IOException {
            switch (readVersion) {
                case 2 -> {
                    in.readUTF();
                    form = 1;
                }
                case UNVERSIONED_FORM_SNAPSHOT -> form = 1;
                case VERSION -> {
                    form = in.readInt();
                    readFormDetails(form, in);
                }
                default -> throw new IOException(getClass().getName() + ": unknown snapshot version " + readVersion
                        + " (written by a later build?)");
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            if (form() > current().currentForm()) {
                throw new IllegalStateException("state form " + form() + " of " + getClass().getSimpleName()
                        + " is newer than this build's form " + current().currentForm()
                        + ": restore the savepoint with the build that wrote it or a later one");
            }
            return restoreSerializer(form());
        }

        /** The serializer reading state of this (not newer) form. */
        protected TypeSerializer<T> restoreSerializer(int form) {
            return current().reading(form);
        }

        /** Compatibility with an older snapshot of the same form (as is, unless the form's details differ). */
        protected TypeSerializerSchemaCompatibility<T> resolveSameForm(FormSnapshot<T> old) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            if (old == null || old.getClass() != getClass()) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            int oldForm = ((FormSnapshot<T>) old).form();
            int currentForm = current().currentForm();
            if (oldForm == currentForm) {
                return resolveSameForm((FormSnapshot<T>) old);
            }
            return oldForm < currentForm ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
