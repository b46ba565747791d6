package io.sift.connectors.itsm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/** Checkpoint format of webhook requests buffered and not yet acknowledged. */
final class WebhookRequestStateSerializer extends AsyncSinkWriterStateSerializer<WebhookRequest> {

    private static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(WebhookRequest request, DataOutputStream out) throws IOException {
        out.writeUTF(request.idempotencyKey());
        out.writeUTF(request.recordId());
        out.writeInt(request.body().length);
        out.write(request.body());
    }

    @Override
    protected WebhookRequest deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String key = in.readUTF();
        String recordId = in.readUTF();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new WebhookRequest(key, recordId, body);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
