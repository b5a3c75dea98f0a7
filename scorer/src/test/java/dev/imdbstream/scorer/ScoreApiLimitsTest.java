package dev.imdbstream.scorer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.imdbstream.kafka.LocalKafkaResource;
import dev.imdbstream.scorer.api.ScoreSlots;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** {@code POST /score} under abuse: bodies over the limit are refused unread, requests beyond the limit get 429. */
@QuarkusTest
@QuarkusTestResource(value = LocalKafkaResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "quarkus.kafka-streams.bootstrap-servers", value = "{bootstrap}"),
        @ResourceArg(name = "kafka-streams.state.dir", value = "{dir}/streams")})
class ScoreApiLimitsTest {

    @Inject
    ScoreSlots slots;

    @Test
    void shouldRefuseABodyLargerThanAReviewBeforeReadingIt() {
        byte[] body = new byte[262_144 + 1];
        java.util.Arrays.fill(body, (byte) 'a');
        given().contentType("application/json").body(body).post("/score").then().statusCode(413);
        // Within the limit it is read and parsed (no model is loaded in this test: 503 after parsing).
        given().contentType("application/json").body("{\"id\":\"x\",\"text\":\"fine\"}").post("/score")
                .then().statusCode(503).body("reason", equalTo("no_model"));
    }

    @Test
    void shouldAnswer429BeyondTheConcurrentRequestsAllowed() {
        List<Boolean> taken = new ArrayList<>();
        while (slots.tryAcquire()) {
            taken.add(true);
        }
        try {
            assertThat(taken).hasSize(16); // scorer.max-concurrent-scores
            given().contentType("application/json").body("{\"id\":\"x\",\"text\":\"fine\"}").post("/score")
                    .then().statusCode(429).header("Retry-After", "1").body("reason", equalTo("too_many_requests"));
        } finally {
            taken.forEach(t -> slots.release());
        }
        given().contentType("application/json").body("{\"id\":\"x\",\"text\":\"fine\"}").post("/score")
                .then().statusCode(503);
    }
}
