package dev.imdbstream.scorer.streams;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import dev.imdbstream.common.kafka.JsonSerde;

/**
 * Value of the scorer's {@code scorer-pending} store (key: arrival sequence number within the task): a review
 * accepted from {@code reviews} but not scored yet, kept with everything its prediction or dead letter needs. The
 * store is changelogged, so under exactly-once a review committed as read is either scored in the same transaction
 * or still here after a crash.
 *
 * @param timestampMs the input record's timestamp (the start of the prediction's latency)
 */
public record PendingReview(byte[] key, byte[] value, String topic, int partition, long offset, long timestampMs) {

    /**
     * Binary: the stream thread writes one of these per review (and the changelog carries it), where JSON spent more
     * time on the value's base64 than on anything else of the record. Reads the JSON of earlier versions too, so
     * reviews pending in a changelog across an upgrade are restored.
     */
    static final Serde<PendingReview> SERDE = Serdes.serdeFrom(
            (Serializer<PendingReview>) (topic, review) -> review == null ? null : review.toBytes(),
            (Deserializer<PendingReview>) (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    /** First byte of the binary form; JSON (the form before it) starts with '{'. */
    private static final byte FORMAT = 1;
    private static final JsonSerde<PendingReview> LEGACY_JSON = new JsonSerde<>(PendingReview.class);

    byte[] toBytes() {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 4 + length(key) + 4 + length(value) + 4 + topicBytes.length
                + 4 + 8 + 8);
        out.put(FORMAT);
        putBytes(out, key);
        putBytes(out, value);
        putBytes(out, topicBytes);
        out.putInt(partition).putLong(offset).putLong(timestampMs);
        return out.array();
    }

    static PendingReview fromBytes(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == '{') {
            return LEGACY_JSON.fromBytes(bytes);
        }
        if (bytes.length == 0 || bytes[0] != FORMAT) {
            throw new SerializationException("not a pending review: unknown format "
                    + (bytes.length == 0 ? "(no bytes)" : "byte " + bytes[0]));
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            byte[] key = getBytes(in);
            byte[] value = getBytes(in);
            String topic = new String(getBytes(in), StandardCharsets.UTF_8);
            PendingReview review = new PendingReview(key, value, topic, in.getInt(), in.getLong(), in.getLong());
            if (in.hasRemaining()) {
                throw new SerializationException("not a pending review: " + in.remaining() + " bytes left over");
            }
            return review;
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new SerializationException("not a pending review: truncated or corrupt (" + e + ")", e);
        }
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    /** Length (-1 for null) and bytes. */
    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.put(bytes);
        }
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < -1 || length > in.remaining()) {
            throw new IllegalArgumentException("length " + length + " with " + in.remaining() + " bytes left");
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
