package dev.imdbstream.scorer.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import dev.imdbstream.common.kafka.JsonSerde;

class PendingReviewTest {

    private static final PendingReview REVIEW = new PendingReview("k1".getBytes(StandardCharsets.UTF_8),
            "{\"id\":\"r1\",\"text\":\"très bon\"}".getBytes(StandardCharsets.UTF_8), "reviews", 3, 1234567L,
            1_700_000_000_123L);

    @Test
    void shouldRoundTripThroughTheStoreSerde() {
        assertSame(roundTrip(REVIEW), REVIEW);
        PendingReview keyless = new PendingReview(null, new byte[0], "reviews-ü", 0, 0, -1);
        assertSame(roundTrip(keyless), keyless);
        assertThat(PendingReview.SERDE.serializer().serialize("t", null)).isNull();
        assertThat(PendingReview.SERDE.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void shouldReadTheJsonOfEarlierVersionsFromTheChangelog() {
        byte[] json = new JsonSerde<>(PendingReview.class).toBytes(REVIEW);

        assertSame(PendingReview.SERDE.deserializer().deserialize("changelog", json), REVIEW);
    }

    @Test
    void shouldRejectBytesThatAreNotAPendingReview() {
        byte[] good = PendingReview.SERDE.serializer().serialize("t", REVIEW);

        for (byte[] bad : new byte[][] {new byte[0], {7, 0, 0}, Arrays.copyOf(good, good.length - 1),
                Arrays.copyOf(good, good.length + 1)}) {
            assertThatThrownBy(() -> PendingReview.SERDE.deserializer().deserialize("t", bad))
                    .isInstanceOf(SerializationException.class).hasMessageStartingWith("not a pending review");
        }
    }

    private static PendingReview roundTrip(PendingReview review) {
        return PendingReview.SERDE.deserializer().deserialize("t", PendingReview.SERDE.serializer().serialize("t", review));
    }

    /** Records compare arrays by reference. */
    private static void assertSame(PendingReview actual, PendingReview expected) {
        assertThat(actual.key()).isEqualTo(expected.key());
        assertThat(actual.value()).isEqualTo(expected.value());
        assertThat(actual).usingRecursiveComparison().ignoringFields("key", "value").isEqualTo(expected);
    }
}
