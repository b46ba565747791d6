package io.sift.connectors.formats;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.sift.core.validate.ErrorKinds;
import java.util.function.ToIntFunction;

/** Reads one OTLP export request (metrics or logs) from a Kafka message in either OTLP encoding. */
final class OtlpRequests {

    private OtlpRequests() {}

    /**
     * The request of {@code builder}'s type in {@code bytes}, as otlp-json or otlp-proto. A binary message with no
     * {@code batches} (counted by {@code batchCount}) and only fields the type does not have is refused: protobuf reads
     * many foreign byte strings as unknown fields without complaint.
     */
    @SuppressWarnings("unchecked")
    static <M extends Message> M parse(byte[] bytes, Message.Builder builder, InputFormat format,
            ToIntFunction<M> batchCount, String batches) throws DecodeException {
        String what = builder.getDescriptorForType().getName();
        if (format == InputFormat.OTLP_JSON) {
            OtlpJson.merge(bytes, builder, format, what);
            return (M) builder.build();
        }
        try {
            builder.mergeFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DecodeException(ErrorKinds.MALFORMED_OTLP, format + ": not an OTLP " + what + ": "
                    + e.getMessage(), e);
        }
        M request = (M) builder.build();
        if (batchCount.applyAsInt(request) == 0 && !request.getUnknownFields().asMap().isEmpty()) {
            throw new DecodeException(ErrorKinds.MALFORMED_OTLP, format + ": not an OTLP " + what + " (no " + batches
                    + ", only fields it does not have)");
        }
        return request;
    }
}
