package dev.imdbstream.scorer.streams;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.imdbstream.scorer.TestConfig;
import dev.imdbstream.scorer.metrics.ScorerMetrics;

class StreamsSupervisorTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final StreamsSupervisor supervisor = new StreamsSupervisor(TestConfig.defaults(), new ScorerMetrics(meters));

    @Test
    void shouldReplaceAThreadKilledByABrokerFaultButNotOneWhoseReplacementDiesRightAway() {
        assertThat(supervisor.handle(new StreamsException(new TimeoutException("task timeout exceeded"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(meters.get("scorer.stream.thread.replacements").counter().count()).isEqualTo(1);

        assertThat(supervisor.handle(new StreamsException(new TimeoutException("task timeout exceeded"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(meters.get("scorer.stream.thread.replacements").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldShutDownAtOnceOnAnErrorANewThreadWouldMeetAgain() {
        assertThat(supervisor.handle(new StreamsException(new SerializationException("not a pending review"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(supervisor.handle(new IllegalStateException("pending review 4 is not in the store")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(supervisor.handle(new OutOfMemoryError("Java heap space")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(meters.get("scorer.stream.thread.replacements").counter().count()).isZero();
    }

    @Test
    void shouldCountAsFailedOnlyWhenTheClientStopsByItself() {
        supervisor.onChange(KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.RUNNING);
        assertThat(supervisor.failed()).as("a shutdown Quarkus asked for").isFalse();

        // exit-on-stream-failure is off in the test profile: the process stays up, DOWN.
        supervisor.onChange(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.RUNNING);
        assertThat(supervisor.failed()).isTrue();
    }
}
