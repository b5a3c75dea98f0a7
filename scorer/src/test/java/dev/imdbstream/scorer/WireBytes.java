package dev.imdbstream.scorer;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.imdbstream.common.kafka.Json;

/** Record values as the tests put them on the wire: JSON by the shared mapper, or raw UTF-8. */
public final class WireBytes {

    private WireBytes() {
    }

    public static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
