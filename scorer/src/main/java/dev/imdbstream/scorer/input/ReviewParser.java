package dev.imdbstream.scorer.input;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.imdbstream.common.kafka.Json;

/**
 * Turns a raw {@code reviews} value into a {@link ReviewRequest} or a {@link Rejection}. Accepts
 * {@code {"id", "text", "label"?}}, {@code {"id", "tokens", "label"?}} and a {@code ReviewSequence} as on
 * {@code imdb.test} (its {@code label} -1 means unlabelled); unknown fields are ignored. Never throws for any input
 * bytes. Thread-safe.
 */
public final class ReviewParser {

    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_DETAIL_CHARS = 200;

    private final int maxBytes;

    /** @param maxBytes values longer than this are rejected before they are decoded */
    public ReviewParser(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public ParseResult parse(byte[] value) {
        if (value == null || value.length == 0) {
            return reject(RejectReason.EMPTY_RECORD, value == null ? "null value" : "zero-length value");
        }
        if (value.length > maxBytes) {
            return reject(RejectReason.TOO_LARGE, "value of " + value.length + " bytes exceeds the limit of "
                    + maxBytes + " (scorer.max-review-bytes)");
        }
        String json;
        try {
            json = decodeUtf8(value);
        } catch (CharacterCodingException e) {
            return reject(RejectReason.NOT_UTF8, "value is not valid UTF-8 (" + e.getMessage() + ")");
        }
        if (json.isBlank()) {
            return reject(RejectReason.EMPTY_RECORD, "value is only whitespace");
        }
        JsonNode node;
        try {
            node = READER.readTree(json);
        } catch (JsonProcessingException e) {
            return reject(RejectReason.MALFORMED_JSON, e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return reject(RejectReason.NOT_AN_OBJECT, "expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return fields(node);
    }

    private static ParseResult fields(JsonNode node) {
        JsonNode idNode = node.get("id");
        String id;
        if (idNode == null || idNode.isNull()) {
            return reject(RejectReason.MISSING_ID, "no \"id\" field");
        } else if (idNode.isTextual() || idNode.isIntegralNumber()) {
            id = idNode.asText();
            if (id.isBlank()) {
                return reject(RejectReason.MISSING_ID, "\"id\" is empty");
            }
        } else {
            return reject(RejectReason.INVALID_FIELD, "\"id\" must be a string or an integer, was "
                    + idNode.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }

        Integer label = null;
        JsonNode labelNode = node.get("label");
        if (labelNode != null && !labelNode.isNull()) {
            if (!labelNode.isIntegralNumber() || labelNode.asInt() < -1 || labelNode.asInt() > 1) {
                return reject(RejectReason.INVALID_FIELD, "\"label\" must be 0, 1 or -1 (unlabelled), was " + labelNode);
            }
            label = labelNode.asInt() == -1 ? null : labelNode.asInt();
        }

        JsonNode tokensNode = node.get("tokens");
        if (tokensNode != null && !tokensNode.isNull()) {
            if (!tokensNode.isArray()) {
                return reject(RejectReason.INVALID_FIELD, "\"tokens\" must be an array of integers");
            }
            int[] tokens = new int[tokensNode.size()];
            for (int i = 0; i < tokens.length; i++) {
                JsonNode t = tokensNode.get(i);
                if (!t.isIntegralNumber() || !t.canConvertToInt()) {
                    return reject(RejectReason.INVALID_FIELD, "\"tokens\"[" + i + "] is not an integer: " + abbreviate(t.toString()));
                }
                tokens[i] = t.intValue();
            }
            return new ReviewRequest(id, null, tokens, label);
        }

        JsonNode textNode = node.get("text");
        if (textNode == null || textNode.isNull()) {
            return reject(RejectReason.NO_CONTENT, "neither \"text\" nor \"tokens\"");
        }
        if (!textNode.isTextual()) {
            return reject(RejectReason.INVALID_FIELD, "\"text\" must be a string");
        }
        if (textNode.textValue().isBlank()) {
            return reject(RejectReason.EMPTY_TEXT, "\"text\" is empty or whitespace");
        }
        return new ReviewRequest(id, textNode.textValue(), null, label);
    }

    /** Strict decoding: Jackson alone would let some invalid byte sequences through inside strings. */
    private static String decodeUtf8(byte[] value) throws CharacterCodingException {
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value));
        String s = chars.toString();
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    private static Rejection reject(RejectReason reason, String detail) {
        return new Rejection(reason, abbreviate(detail));
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_DETAIL_CHARS ? oneLine : oneLine.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
