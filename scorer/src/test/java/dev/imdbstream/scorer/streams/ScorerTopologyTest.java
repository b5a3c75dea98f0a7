package dev.imdbstream.scorer.streams;

import static dev.imdbstream.scorer.WireBytes.bytes;
import static dev.imdbstream.scorer.WireBytes.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.DeadLetter;
import dev.imdbstream.common.schema.ModelArtifact;
import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.encoder.SentenceEncoder;
import dev.imdbstream.model.sentence.SentenceLogisticModel;
import dev.imdbstream.model.sentence.TfidfSentenceModel;
import dev.imdbstream.model.tfidf.TfidfLogisticModel;
import dev.imdbstream.scorer.TestConfig;
import dev.imdbstream.scorer.TestModels;
import dev.imdbstream.scorer.config.ScorerConfig.NoModelPolicy;
import dev.imdbstream.scorer.config.ScorerConfig.Selection;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ModelInfo;
import dev.imdbstream.scorer.model.ModelRegistry;

/** The production topology ({@link TopologyProducer}) in a {@link TopologyTestDriver}, with real trained models. */
class ScorerTopologyTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final ModelArtifact RANDOM_500 = TestModels.artifact("random-500-a", "random", 500, 0.40, 1_000);
    private static final ModelArtifact RANDOM_500_BETTER = TestModels.artifact("random-500-b", "random", 500, 0.30, 2_000);
    private static final ModelArtifact RANDOM_500_WORSE = TestModels.artifact("random-500-c", "random", 500, 0.90, 3_000);
    private static final ModelArtifact RANDOM_1000 = TestModels.artifact("random-1000-a", "random", 1000, 0.60, 4_000);
    private static final ModelArtifact GLOVE_500 = TestModels.artifact("glove-500-a", "glove", 500, 0.35, 5_000);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> reviews;
    private TestInputTopic<String, ModelArtifact> models;
    private TestOutputTopic<byte[], Prediction> predictions;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;
    private SimpleMeterRegistry meters;
    private ModelRegistry registry;
    private TestConfig config;
    private TopologyProducer topology;
    private Intake intake;
    private long offset;

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
            topology.close();
        }
    }

    @Test
    void shouldScoreATextReviewWithTheBestModelUnderTheReviewsKey() {
        start(TestConfig.defaults());
        publish(RANDOM_500);

        send("key-1", "{\"id\":\"r1\",\"text\":\"A wonderful film, I loved it!\",\"label\":1}");
        flushBatches();

        TestRecord<byte[], Prediction> out = predictions.readRecord();
        assertThat(new String(out.key(), StandardCharsets.UTF_8)).isEqualTo("key-1");
        assertThat(out.timestamp()).isEqualTo(START.toEpochMilli());
        Prediction p = out.value();
        assertThat(p.id()).isEqualTo("r1");
        assertThat(p.label()).isEqualTo(1);
        assertThat(p.scores()).singleElement().satisfies(s -> {
            assertThat(s.modelId()).isEqualTo("random-500-a");
            assertThat(s.variant()).isEqualTo("random");
            assertThat(s.subsetSize()).isEqualTo(500);
            assertThat(s.probability()).isGreaterThan(0.5);
            assertThat(s.label()).isEqualTo(1);
        });
        assertThat(p.latencyMs()).isGreaterThanOrEqualTo(0);
        assertNoMoreOutput();
    }

    @Test
    void shouldDeadLetterEveryKindOfBadInputWithItsReasonAndSource() {
        start(TestConfig.defaults());
        publish(RANDOM_500);
        int[] tooShort = {1, 5, 6};
        int[] outsideVocabulary = TestModels.VOCABULARY.encodeText("a great movie");
        outsideVocabulary[outsideVocabulary.length - 1] = TestModels.PREPROCESSING.numWords();
        List<Object[]> cases = List.of(
                new Object[] {null, "empty_record"},
                new Object[] {new byte[0], "empty_record"},
                new Object[] {bytes("{\"id\":\"x\",\"text\":"), "malformed_json"},
                new Object[] {bytes("{\"id\":\"x\",\"text\":\"ok\"} trailing"), "malformed_json"},
                new Object[] {concat(bytes("{\"id\":\"x\",\"text\":\"caf"), new byte[] {(byte) 0xC3, 0x28},
                        bytes("\"}")), "not_utf8"},
                new Object[] {bytes("[1,2,3]"), "not_an_object"},
                new Object[] {bytes("\"just a string\""), "not_an_object"},
                new Object[] {bytes("{\"text\":\"a great movie\"}"), "missing_id"},
                new Object[] {bytes("{\"id\":\"  \",\"text\":\"a great movie\"}"), "missing_id"},
                new Object[] {bytes("{\"id\":\"x\",\"text\":\" \\n\\t \"}"), "empty_text"},
                new Object[] {bytes("{\"id\":\"x\"}"), "no_content"},
                new Object[] {bytes("{\"id\":\"x\",\"text\":42}"), "invalid_field"},
                new Object[] {bytes("{\"id\":\"x\",\"text\":\"good\",\"label\":7}"), "invalid_field"},
                new Object[] {bytes("{\"id\":\"x\",\"tokens\":[1,\"two\"]}"), "invalid_field"},
                new Object[] {json(new Input("x", null, tooShort, null)), "invalid_sequence"},
                new Object[] {json(new Input("x", null, outsideVocabulary, null)), "invalid_sequence"},
                new Object[] {bytes("{\"id\":\"x\",\"text\":\"" + "great ".repeat(200_000) + "\"}"), "too_large"});

        for (Object[] c : cases) {
            send("bad", (byte[]) c[0]);
        }
        flushBatches();

        List<TestRecord<byte[], DeadLetter>> letters = deadLetters.readRecordsToList();
        assertThat(letters).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            DeadLetter letter = letters.get(i).value();
            // Parse errors leave at once, sequence errors after their batch: match by offset.
            DeadLetter forCase = findByOffset(letters, i);
            assertThat(forCase.error()).as("case %d", i).startsWith(cases.get(i)[1] + ": ");
            assertThat(forCase.value()).as("case %d", i).isEqualTo(cases.get(i)[0]);
            assertThat(letter.sourceTopic()).isEqualTo(Topics.REVIEWS.name());
            assertThat(letter.partition()).isZero();
            assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("bad");
            assertThat(letters.get(i).key()).isEqualTo(letter.key());
        }
        assertThat(dlqCount()).isEqualTo(cases.size());
        assertNoMoreOutput();
    }

    @Test
    void shouldIgnoreUnknownFields() {
        start(TestConfig.defaults());
        publish(RANDOM_500);

        send("k", "{\"id\":7,\"text\":\"awful and boring\",\"rating\":2,\"extra\":{\"nested\":[1,2]},\"label\":0}");
        flushBatches();

        Prediction p = predictions.readValue();
        assertThat(p.id()).isEqualTo("7");
        assertThat(p.scores().get(0).label()).isZero();
        assertNoMoreOutput();
    }

    @ParameterizedTest(name = "inference thread: {0}")
    @ValueSource(booleans = {true, false})
    void shouldConserveCountsOnAMixedBatchAndKeepTheInputOrder(boolean inferenceThread) {
        start(TestConfig.defaults().withInferenceThread(inferenceThread));
        publish(RANDOM_500);
        SplittableRandom random = new SplittableRandom(5);
        List<String> goodIds = new ArrayList<>();
        int n = 101;
        for (int i = 0; i < n; i++) {
            if (random.nextInt(3) == 0) {
                send("k" + i, random.nextBoolean() ? bytes("{\"id\":\"b" + i + "\",\"text\":\"\"}") : bytes("{oops"));
            } else {
                goodIds.add("g" + i);
                send("k" + i, json(new Input("g" + i, TestModels.review(random, random.nextBoolean()), null, null)));
            }
        }
        flushBatches();

        List<String> predicted = predictions.readValuesToList().stream().map(Prediction::id).toList();
        int dead = deadLetters.readValuesToList().size();
        assertThat(predicted).containsExactlyElementsOf(goodIds);
        assertThat(predicted.size() + dead).isEqualTo(n);
        assertThat(counter("scorer.reviews")).isEqualTo(n);
        assertThat(counter("scorer.predictions") + dlqCount()).isEqualTo(n);
        assertNoMoreOutput();
    }

    @Test
    void shouldSwapInABetterModelBetweenReviewsWithoutLosingAny() {
        start(TestConfig.defaults().withBatchSize(1));
        // A pass scores with the models selected when it starts: each review is scored before the next artifact.
        publish(RANDOM_500);
        send("1", text("s1", "great"));
        flushBatches();

        publish(RANDOM_500_BETTER);
        send("2", text("s2", "great"));
        flushBatches();

        publish(RANDOM_500_WORSE);
        send("3", text("s3", "great"));
        flushBatches();

        publish(RANDOM_1000);
        send("4", text("s4", "great"));
        flushBatches();

        List<Prediction> out = predictions.readValuesToList();
        assertThat(out).extracting(Prediction::id).containsExactly("s1", "s2", "s3", "s4");
        assertThat(out).extracting(p -> p.scores().get(0).modelId())
                .containsExactly("random-500-a", "random-500-b", "random-500-b", "random-1000-a");
        assertThat(registry.current().modelIds()).containsExactly("random-1000-a");
        assertThat(meters.get("scorer.model.loaded").tag("model", "random-1000-a").gauge().value()).isEqualTo(1.0);
        assertThat(meters.find("scorer.model.loaded").tag("model", "random-500-b").gauge()).isNull();
        assertNoMoreOutput();
    }

    @Test
    void shouldWarmUpTheKernelsOnceBeforeTheFirstModelScores() {
        start(TestConfig.defaults().withWarmUp(Duration.ofSeconds(20)));
        Timer warmUp = meters.get("scorer.warmup").timer();
        assertThat(warmUp.count()).isZero();

        publish(RANDOM_500);
        send("1", text("s1", "great"));
        flushBatches();
        publish(RANDOM_1000);
        send("2", text("s2", "great"));
        flushBatches();

        assertThat(warmUp.count()).isEqualTo(1);
        assertThat(warmUp.totalTime(TimeUnit.MILLISECONDS)).isPositive();
        assertThat(predictions.readValuesToList()).extracting(p -> p.scores().get(0).modelId())
                .containsExactly("random-500-a", "random-1000-a");
        assertNoMoreOutput();
    }

    @Test
    void shouldFallBackToTheNextBestModelWhenTheBestIsDeleted() {
        start(TestConfig.defaults().withBatchSize(1));
        publish(RANDOM_500);
        publish(RANDOM_500_BETTER);
        models.pipeInput(new TestRecord<>(RANDOM_500_BETTER.modelId(), null, START));

        send("1", text("t1", "great"));
        flushBatches();

        assertThat(predictions.readValue().scores().get(0).modelId()).isEqualTo("random-500-a");
        assertNoMoreOutput();
    }

    @Test
    void shouldKeepTheLoadedModelWhenABetterOneCannotBeLoadedOrRead() {
        start(TestConfig.defaults().withBatchSize(1));
        publish(RANDOM_500);
        ModelArtifact broken = withWeights(RANDOM_500_BETTER, "not a zip".getBytes(StandardCharsets.UTF_8));
        publish(broken);
        driver.createInputTopic(Topics.MODELS.name(), new StringSerializer(), new ByteArraySerializer())
                .pipeInput("garbage", bytes("{\"modelId\": not json"), START);

        send("1", text("u1", "great"));
        flushBatches();

        assertThat(predictions.readValue().scores().get(0).modelId()).isEqualTo("random-500-a");
        assertThat(counter("scorer.model.rejected")).isEqualTo(1);
        assertNoMoreOutput();
    }

    @Test
    void shouldRejectArtifactsWhoseIdsWouldBeLabelsOrWhoseWeightsAreTooLarge() {
        start(TestConfig.defaults().withBatchSize(1));
        publish(RANDOM_500);
        ModelArtifact a = RANDOM_500_BETTER;
        // Untrusted records: an id that is not a safe name, a variant that would break a label, oversized weights.
        for (ModelArtifact bad : List.of(
                new ModelArtifact(a.schemaVersion(), "../x", a.variant(), a.subsetSize(), a.seed(), a.experimentId(),
                        a.jobId(), a.datasetId(), a.format(), a.preprocessing(), a.words(), a.hyperparameters(),
                        a.metrics(), a.provenance(), a.weights(), a.createdAtMs()),
                new ModelArtifact(a.schemaVersion(), "odd-variant", "random\"} 1", a.subsetSize(), a.seed(),
                        a.experimentId(), a.jobId(), a.datasetId(), a.format(), a.preprocessing(), a.words(),
                        a.hyperparameters(), a.metrics(), a.provenance(), a.weights(), a.createdAtMs()),
                withWeights(a, new byte[12_582_913]))) {
            publish(bad);
        }

        send("1", text("u1", "great"));
        flushBatches();

        assertThat(predictions.readValue().scores().get(0).modelId()).isEqualTo("random-500-a");
        assertThat(counter("scorer.model.rejected")).isEqualTo(3);
        assertThat(registry.candidates()).extracting(ModelInfo::modelId).containsExactly("random-500-a");
        assertNoMoreOutput();
    }

    @Test
    void shouldScoreWithEveryListedModel() {
        start(TestConfig.defaults().withSelection(Selection.LISTED, "random-500-c", "glove-500-a"));
        publish(RANDOM_500);
        publish(RANDOM_500_WORSE);
        publish(GLOVE_500);

        send("1", text("l1", "terrible"));
        flushBatches();

        Prediction p = predictions.readValue();
        assertThat(p.scores()).extracting(Prediction.ModelScore::modelId).containsExactly("glove-500-a", "random-500-c");
        assertThat(p.scores().get(0).probability()).isCloseTo(p.scores().get(1).probability(), within(1e-12));
        assertNoMoreOutput();
    }

    @Test
    void shouldScoreTheBestModelOfEachVariantAndSubsetSizeWhenAskedForAllCells() {
        start(TestConfig.defaults().withSelection(Selection.BEST_PER_CELL));
        for (ModelArtifact a : List.of(RANDOM_500, RANDOM_500_BETTER, RANDOM_1000, GLOVE_500)) {
            publish(a);
        }

        send("1", text("c1", "great"));
        flushBatches();

        assertThat(predictions.readValue().scores()).extracting(Prediction.ModelScore::modelId)
                .containsExactly("glove-500-a", "random-500-b", "random-1000-a");
        assertNoMoreOutput();
    }

    @Test
    void shouldHoldReviewsThatArriveBeforeAnyModelAndScoreThemInOrderOnceOneArrives() {
        start(TestConfig.defaults().withNoModel(NoModelPolicy.WAIT, 100));
        for (int i = 0; i < 6; i++) {
            send("k", text("w" + i, "great"));
        }
        flushBatches();
        assertThat(predictions.isEmpty()).isTrue();
        assertThat(meters.get("scorer.pending.reviews").gauge().value()).isEqualTo(6.0);
        KeyValueStore<Long, PendingReview> store = driver.getKeyValueStore(TopologyProducer.PENDING_STORE);
        assertThat(store.approximateNumEntries()).isEqualTo(6);
        PendingReview first = store.get(0L);
        assertThat(first.key()).isEqualTo(bytes("k"));
        assertThat(first.value()).isEqualTo(bytes(text("w0", "great")));
        assertThat(first.topic()).isEqualTo(TopologyProducer.REVIEWS_TOPIC);
        assertThat(first.offset()).isZero();

        publish(RANDOM_500);
        flushBatches();

        assertThat(predictions.readValuesToList()).extracting(Prediction::id)
                .containsExactly("w0", "w1", "w2", "w3", "w4", "w5");
        assertThat(meters.get("scorer.pending.reviews").gauge().value()).isZero();
        assertThat(store.approximateNumEntries()).isZero();
        assertNoMoreOutput();
    }

    @Test
    void shouldStopReadingWhenThePendingStoreIsFullUntilAModelArrives() {
        start(TestConfig.defaults().withNoModel(NoModelPolicy.WAIT, 3));
        send("k", text("w0", "great"));
        send("k", text("w1", "great"));
        assertThat(intake.paused()).isFalse();
        send("k", text("w2", "great"));
        assertThat(intake.paused()).as("reading stops at scorer.max-pending").isTrue();
        assertThat(meters.get("scorer.intake.paused").gauge().value()).isEqualTo(1.0);
        // A test driver pipes records in whatever the client's state: the ones it still hands over are kept too.
        send("k", text("w3", "great"));
        assertThat(deadLetters.isEmpty()).isTrue();

        publish(RANDOM_500);
        assertThat(intake.paused()).as("reading resumes once a model is loaded").isFalse();
        flushBatches();
        assertThat(predictions.readValuesToList()).extracting(Prediction::id).containsExactly("w0", "w1", "w2", "w3");
        assertThat(meters.get("scorer.intake.paused").gauge().value()).isZero();
        assertNoMoreOutput();
    }

    @Test
    void shouldScoreAFullPendingStoreBeforeReadingOn() {
        start(TestConfig.defaults().withBatchSize(128).withInferenceThread(false).withNoModel(NoModelPolicy.WAIT, 3));
        publish(RANDOM_500);
        send("k", text("b0", "great"));
        send("k", text("b1", "great"));
        assertThat(predictions.isEmpty()).as("a partial batch waits for its tick").isTrue();

        send("k", text("b2", "great"));

        assertThat(predictions.readValuesToList()).as("scored at once: the store was full")
                .extracting(Prediction::id).containsExactly("b0", "b1", "b2");
        assertThat(meters.get("scorer.pending.reviews").gauge().value()).isZero();
        assertThat(meters.get("scorer.backpressure").timer().count()).isEqualTo(1);
        assertNoMoreOutput();
    }

    @Test
    void shouldDeadLetterReviewsWithoutAModelWhenSoConfigured() {
        start(TestConfig.defaults().withNoModel(NoModelPolicy.DLQ, 100));

        send("k", text("n1", "great"));
        flushBatches();

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.error()).startsWith("no_model: ");
        assertThat(letter.value()).isEqualTo(bytes(text("n1", "great")));
        assertNoMoreOutput();
    }

    /**
     * The scorer tokenizes raw text with the vocabulary that travels with the model, exactly as the ingestor
     * encodes {@code imdb.test} (common's {@code Vocabulary.encodeText}): a review sent as text, as the ingestor's
     * tokens, and as a whole {@code ReviewSequence} gets the very same probability.
     */
    @Test
    void shouldScoreTextLikeTheIngestorsTokensOfTheSameText() {
        // One review a pass: the float sums of a pass depend on its other reviews in the last bits, and with an
        // inference thread the batch boundaries depend on timing. The comparison here is about the tokens.
        start(TestConfig.defaults().withBatchSize(1));
        publish(RANDOM_500);
        List<String> texts = List.of("A <br /><br />GREAT film, wasn't it? I loved\u2019t... 10/10",
                "Boring & dull: the worst plot (of all time)", "great great great", "Ending. Music; superb",
                "unknownword another-unknown \u00e9t\u00e9 awful");
        for (String text : texts) {
            int[] ingestorTokens = TestModels.VOCABULARY.encodeText(text);
            send("t", json(new Input("text", text, null, null)));
            send("t", json(new Input("tokens", null, ingestorTokens, null)));
            send("t", json(new ReviewSequence(ReviewSequence.VERSION, "seq", TestModels.DATASET_ID, "test", 0, -1, 0,
                    ingestorTokens, null, text)));
        }
        flushBatches();

        List<Prediction> out = predictions.readValuesToList();
        assertThat(out).hasSize(3 * texts.size());
        for (int i = 0; i < texts.size(); i++) {
            double fromText = out.get(3 * i).scores().get(0).probability();
            assertThat(out.get(3 * i + 1).scores().get(0).probability()).as(texts.get(i)).isEqualTo(fromText);
            assertThat(out.get(3 * i + 2).scores().get(0).probability()).as(texts.get(i)).isEqualTo(fromText);
            assertThat(out.get(3 * i + 2).label()).isNull();
        }
        assertNoMoreOutput();
    }

    @Test
    void shouldCountStreamingAccuracyPerModelOverLabelledReviews() {
        start(TestConfig.defaults());
        publish(RANDOM_500);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 40; i++) {
            boolean positive = random.nextBoolean();
            send("a", json(new Input("a" + i, TestModels.review(random, positive), null, positive ? 1 : 0)));
        }
        send("a", text("unlabelled", "great"));
        flushBatches();

        List<Prediction> out = predictions.readValuesToList();
        long correct = out.stream().filter(p -> p.label() != null && p.label() == p.scores().get(0).label()).count();
        double accuracy = meters.get("scorer.model.accuracy").tag("model", "random-500-a").gauge().value();
        assertThat(accuracy).isEqualTo(correct / 40.0);
        assertThat(accuracy).isGreaterThan(0.9);
        assertThat(meters.get("scorer.model.labelled").tag("model", "random-500-a").counter().count()).isEqualTo(40);
        assertThat(meters.get("scorer.latency").timer().count()).isEqualTo(41);
        assertNoMoreOutput();
    }

    @Test
    void shouldLoadATfidfBaselineArtifactAndScoreWithItBesideTheNetwork() {
        ModelArtifact tfidf = TestModels.tfidfArtifact("tfidf-500-a", 500, 0.45, 6_000);
        start(TestConfig.defaults());
        publish(RANDOM_500);
        publish(tfidf);
        SplittableRandom random = new SplittableRandom(21);
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean positive = random.nextBoolean();
            texts.add(TestModels.review(random, positive));
            send("t", json(new Input("t" + i, texts.get(i), null, positive ? 1 : 0)));
        }
        // Longer than maxLen (24): its only cue word is at the start, where the padded sequence has cut it off.
        send("t", json(new Input("long", "Superb. " + "the movie and the plot of this film ".repeat(6), null, 1)));
        flushBatches();

        List<Prediction> out = predictions.readValuesToList();
        assertThat(out).hasSize(41);
        Prediction.ModelScore longReview = out.remove(40).scores().stream()
                .filter(m -> m.variant().equals("tfidf-logreg")).findFirst().orElseThrow();
        assertThat(longReview.probability()).isGreaterThan(0.5); // the whole review was read
        TfidfLogisticModel served = TfidfLogisticModel.decode(tfidf.weights(), tfidf.preprocessing());
        int correct = 0;
        for (int i = 0; i < out.size(); i++) {
            Prediction p = out.get(i);
            assertThat(p.scores()).extracting(Prediction.ModelScore::modelId)
                    .containsExactlyInAnyOrder("random-500-a", "tfidf-500-a");
            Prediction.ModelScore s = p.scores().stream().filter(m -> m.variant().equals("tfidf-logreg")).findFirst()
                    .orElseThrow();
            // What the artifact's model says of the whole review, as the trainer's data carries it.
            double expected = served.predict(new int[][] {TestModels.VOCABULARY.encodeAll(texts.get(i))})[0];
            assertThat(s.probability()).isEqualTo(expected);
            assertThat(s.label()).isEqualTo(expected >= 0.5 ? 1 : 0);
            correct += s.label() == p.label() ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(36);
        assertThat(registry.current().modelIds()).contains("tfidf-500-a");
        assertNoMoreOutput();
    }

    @Test
    void shouldScoreTheTextWithASentenceEncoderModelAndLeaveTokenIdsToTheOthers() {
        ModelArtifact sentence = TestModels.sentenceArtifact("minilm-500-a", 500, 0.4, 7_000);
        ModelArtifact combined = TestModels.combinedArtifact("both-500-a", 500, 0.4, 8_000);
        start(TestConfig.defaults());
        publish(RANDOM_500);
        publish(sentence);
        publish(combined);
        SplittableRandom random = new SplittableRandom(23);
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boolean positive = i % 2 == 0;
            texts.add(TestModels.review(random, positive));
            send("s", json(new Input("s" + i, texts.get(i), null, positive ? 1 : 0)));
        }
        // Token ids: the network scores them, the model of the text cannot and is left out of this prediction.
        send("s", json(new Input("ids", null, TestModels.VOCABULARY.encodeText(texts.get(0)), null)));
        flushBatches();

        List<Prediction> out = predictions.readValuesToList();
        assertThat(out).hasSize(13);
        assertThat(out.get(12).scores()).extracting(Prediction.ModelScore::modelId).containsExactly("random-500-a");
        SentenceLogisticModel served = SentenceLogisticModel.decode(sentence.weights());
        TfidfSentenceModel both = TfidfSentenceModel.decode(combined.weights(), combined.preprocessing());
        SentenceEncoder encoder = SentenceEncoder.shared(served.encoder());
        int correct = 0;
        int correctBoth = 0;
        for (int i = 0; i < 12; i++) {
            Prediction p = out.get(i);
            assertThat(p.scores()).extracting(Prediction.ModelScore::modelId)
                    .containsExactlyInAnyOrder("random-500-a", "minilm-500-a", "both-500-a");
            Prediction.ModelScore s = p.scores().stream().filter(m -> m.variant().equals("minilm-logreg")).findFirst()
                    .orElseThrow();
            // What the artifact's model says of the encoder's vector of the text, as the ingestor computes it.
            float[] vector = encoder.encode(texts.get(i));
            assertThat(s.probability()).isEqualTo(served.probability(vector));
            correct += s.label() == p.label() ? 1 : 0;
            // And the model of both: the whole review's ids, as the trainer's data carries them, and the same vector.
            Prediction.ModelScore b = p.scores().stream().filter(m -> m.variant().equals("tfidf-minilm-logreg"))
                    .findFirst().orElseThrow();
            assertThat(b.probability()).isEqualTo(both.predict(
                    new int[][] {TestModels.VOCABULARY.encodeAll(texts.get(i))}, new float[][] {vector})[0]);
            correctBoth += b.label() == p.label() ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(10);
        assertThat(correctBoth).isGreaterThanOrEqualTo(10);
        assertNoMoreOutput();
    }

    private void start(TestConfig config) {
        this.config = config;
        meters = new SimpleMeterRegistry();
        ScorerMetrics metrics = new ScorerMetrics(meters);
        registry = new ModelRegistry(config, metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "scorer-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                CountingDeserializationHandler.class.getName());
        intake = new Intake(registry, metrics);
        topology = new TopologyProducer(config, registry, metrics, intake);
        driver = new TopologyTestDriver(topology.topology(), props, START);
        reviews = driver.createInputTopic(TopologyProducer.REVIEWS_TOPIC, new ByteArraySerializer(),
                new ByteArraySerializer());
        models = driver.createInputTopic(TopologyProducer.MODELS_TOPIC, new StringSerializer(),
                Topics.MODELS.valueSerde().serializer());
        predictions = driver.createOutputTopic(TopologyProducer.PREDICTIONS_TOPIC, new ByteArrayDeserializer(),
                Topics.PREDICTIONS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(TopologyProducer.DLQ_TOPIC, new ByteArrayDeserializer(),
                Topics.REVIEWS_DLQ.valueSerde().deserializer());
        offset = 0;
    }

    private void publish(ModelArtifact artifact) {
        models.pipeInput(new TestRecord<>(artifact.modelId(), artifact, START));
    }

    private void send(String key, String value) {
        send(key, bytes(value));
    }

    /** Each review 1 ms after the previous one, from START. */
    private void send(String key, byte[] value) {
        reviews.pipeInput(new TestRecord<>(bytes(key), value, null, START.plusMillis(offset++)));
    }

    /**
     * Lets the wall-clock ticks pass that score whatever waits for a fuller batch (the input has run dry), and waits
     * for the inference passes under way, until {@value MicroBatcher#MAX_TICKS} ticks more bring nothing new.
     */
    private void flushBatches() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int quiet = 0;
        while (quiet <= MicroBatcher.MAX_TICKS) {
            driver.advanceWallClockTime(config.batchMaxWait().dividedBy(4).plusMillis(1));
            if (topology.passesInFlight() == 0) {
                quiet++;
            } else {
                quiet = 0;
                assertThat(System.nanoTime()).as("inference passes finish").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    private void assertNoMoreOutput() {
        flushBatches();
        assertThat(predictions.isEmpty()).as("no more predictions").isTrue();
        assertThat(deadLetters.isEmpty()).as("no more dead letters").isTrue();
    }

    private double counter(String name) {
        return meters.get(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double dlqCount() {
        return counter("scorer.dlq");
    }

    private static DeadLetter findByOffset(List<TestRecord<byte[], DeadLetter>> letters, long offset) {
        return letters.stream().map(TestRecord::value).filter(l -> l.offset() == offset).findFirst().orElseThrow();
    }

    private static ModelArtifact withWeights(ModelArtifact a, byte[] weights) {
        return new ModelArtifact(a.schemaVersion(), a.modelId(), a.variant(), a.subsetSize(), a.seed(), a.experimentId(),
                a.jobId(), a.datasetId(), a.format(), a.preprocessing(), a.words(), a.hyperparameters(), a.metrics(),
                a.provenance(), weights, a.createdAtMs());
    }

    private static String text(String id, String text) {
        return new String(json(new Input(id, text, null, null)), StandardCharsets.UTF_8);
    }


    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A {@code reviews} value as producers write it; null fields are left out. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Input(String id, String text, int[] tokens, Integer label) {
    }
}
