package io.sift.connectors.formats;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OTLP/JSON: the protobuf JSON mapping (protobuf-java-util's {@link JsonFormat}, which takes lowerCamelCase and
 * original field names, int64 as strings or numbers and enums as numbers), except that trace and span ids are hex,
 * not base64: they are rewritten before parsing. Unknown fields are ignored, as the OTLP specification asks.
 */
final class OtlpJson {

    /** An id field's hex value; a quote inside a JSON string is escaped, so this matches only real fields. */
    private static final Pattern HEX_ID = Pattern.compile(
            "\"(traceId|spanId|parentSpanId|trace_id|span_id|parent_span_id)\"(\\s*:\\s*)\"([0-9a-fA-F]*)\"");

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private OtlpJson() {}

    static void merge(byte[] bytes, Message.Builder builder, InputFormat format, String what) throws DecodeException {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException(io.sift.core.validate.ErrorKinds.MALFORMED_OTLP,
                    format + ": not UTF-8 text, so not an OTLP/JSON " + what, e);
        }
        try {
            PARSER.merge(hexIdsToBase64(json), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new DecodeException(io.sift.core.validate.ErrorKinds.MALFORMED_OTLP,
                    format + ": not an OTLP/JSON " + what + ": " + e.getMessage(), e);
        }
    }

    static String hexIdsToBase64(String json) {
        Matcher m = HEX_ID.matcher(json);
        if (!m.find()) {
            return json;
        }
        StringBuilder sb = new StringBuilder(json.length());
        do {
            String hex = m.group(3);
            byte[] id = hex.length() % 2 == 0 ? HexFormat.of().parseHex(hex) : new byte[0];
            m.appendReplacement(sb, Matcher.quoteReplacement(
                    "\"" + m.group(1) + "\"" + m.group(2) + "\"" + Base64.getEncoder().encodeToString(id) + "\""));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
