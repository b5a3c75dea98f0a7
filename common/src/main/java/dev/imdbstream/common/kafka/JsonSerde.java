package dev.imdbstream.common.kafka;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON serde for a wire record. Deserialization errors surface as Kafka's
 * {@link SerializationException}, so Kafka Streams' deserialization handlers and the plain consumers'
 * error paths see one exception type.
 */
public final class JsonSerde<T> implements Serde<T> {

    private final Class<T> type;
    /** Bound to the type: the serializer and deserializer are looked up once, not on every record. */
    private final ObjectWriter writer;
    private final ObjectReader reader;

    public JsonSerde(Class<T> type) {
        this.type = type;
        this.writer = Json.MAPPER.writerFor(type);
        this.reader = Json.MAPPER.readerFor(type);
    }

    public Class<T> type() {
        return type;
    }

    public byte[] toBytes(T value) {
        if (value == null) {
            return null;
        }
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerializationException("cannot serialize " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public T fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new SerializationException("not a valid " + type.getSimpleName() + " record: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> toBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> fromBytes(bytes);
    }
}
