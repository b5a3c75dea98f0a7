package dev.imdbstream.scorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.imdbstream.scorer.config.ScorerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The production {@link ScorerConfig} for tests that build the production topology outside Quarkus: the mapping read
 * from the scorer's application.properties in the {@code test} profile, as a {@code @QuarkusTest} sees it, with a
 * test's own overrides on top. Nothing of the production defaults is copied here.
 */
public final class TestConfig implements ScorerConfig {

    private final String profile;
    private final Map<String, String> overrides;
    private final ScorerConfig config;

    private TestConfig(String profile, Map<String, String> overrides) {
        this.profile = profile;
        this.overrides = Map.copyOf(overrides);
        URL properties = TestConfig.class.getClassLoader().getResource("application.properties");
        try {
            SmallRyeConfig built = new SmallRyeConfigBuilder()
                    .withProfile(profile)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withSources(new PropertiesConfigSource(properties, 250))
                    .withSources(new PropertiesConfigSource(this.overrides, "test overrides", 400))
                    .withMapping(ScorerConfig.class)
                    .build();
            config = built.getConfigMapping(ScorerConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + properties, e);
        }
    }

    /** The test profile's settings, with micro-batches of 4 and no topic creation (there is no broker). */
    public static TestConfig defaults() {
        return new TestConfig("test", Map.of("scorer.batch-size", "4", "scorer.create-topics", "false"));
    }

    /**
     * The settings a deployed scorer runs with (the {@code prod} profile), for the scorer benchmark: no warm-up (the
     * benchmark warms the model itself), no exit on a stream failure, no topic creation (the benchmark creates them).
     */
    public static TestConfig production() {
        return new TestConfig("prod", Map.of("scorer.warm-up", "0s", "scorer.exit-on-stream-failure", "false",
                "scorer.create-topics", "false"));
    }

    private TestConfig with(String name, String value) {
        Map<String, String> changed = new HashMap<>(overrides);
        changed.put(name, value);
        return new TestConfig(profile, changed);
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public TestConfig withSelection(Selection selection, String... ids) {
        TestConfig c = with("scorer.selection", name(selection));
        return ids.length == 0 ? c : c.with("scorer.model-ids", String.join(",", ids));
    }

    public TestConfig withNoModel(NoModelPolicy policy, int maxPending) {
        return with("scorer.no-model", name(policy)).with("scorer.max-pending", String.valueOf(maxPending));
    }

    public TestConfig withBatchSize(int batchSize) {
        return with("scorer.batch-size", String.valueOf(batchSize));
    }

    public TestConfig withInferenceThread(boolean inferenceThread) {
        return with("scorer.inference-thread", String.valueOf(inferenceThread));
    }

    public TestConfig withWarmUp(Duration warmUp) {
        return with("scorer.warm-up", warmUp.toString());
    }

    public TestConfig withMaxReviewBytes(int maxReviewBytes) {
        return with("scorer.max-review-bytes", String.valueOf(maxReviewBytes));
    }

    @Override
    public Selection selection() {
        return config.selection();
    }

    @Override
    public Optional<List<String>> modelIds() {
        return config.modelIds();
    }

    @Override
    public NoModelPolicy noModel() {
        return config.noModel();
    }

    @Override
    public int maxPending() {
        return config.maxPending();
    }

    @Override
    public int maxReviewBytes() {
        return config.maxReviewBytes();
    }

    @Override
    public int maxConcurrentScores() {
        return config.maxConcurrentScores();
    }

    @Override
    public int maxModelBytes() {
        return config.maxModelBytes();
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    @Override
    public Duration batchMaxWait() {
        return config.batchMaxWait();
    }

    @Override
    public boolean inferenceThread() {
        return config.inferenceThread();
    }

    @Override
    public Duration warmUp() {
        return config.warmUp();
    }

    @Override
    public boolean exitOnStreamFailure() {
        return config.exitOnStreamFailure();
    }

    @Override
    public boolean createTopics() {
        return config.createTopics();
    }
}
