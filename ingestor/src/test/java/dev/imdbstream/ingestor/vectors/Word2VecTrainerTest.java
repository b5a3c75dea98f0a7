package dev.imdbstream.ingestor.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.AlignedEmbedding;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.VocabularyRecord.Stats;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.ingestor.TestData;
import dev.imdbstream.ingestor.data.DatasetBuilder;
import dev.imdbstream.ingestor.data.PreparedDataset;

/**
 * Word2vec on {@link TestData#REVIEWS}. With numWords 20 the vocabulary is bad 3, great 4, movie 5, acting 6,
 * boring 7, fun 8, good 9, plot 10. In train + unsup: bad 5, great 5, movie 3, plot 2 (its third occurrence is a
 * test review), the others once. With minWordFrequency 3 exactly bad, great and movie get a vector; plot would
 * too if test reviews reached the trainer.
 */
class Word2VecTrainerTest {

    private static final Preprocessing VOCAB_20 = new Preprocessing(Tokenizer.NAME, 20, 4, "pre", "pre", 0, 1, 2, 3);
    private static final long INIT_SEED = 7;

    @TempDir
    static Path tmp;

    static PreparedDataset dataset;

    @BeforeAll
    static void prepare() throws IOException {
        Path archive = TestData.writeTarGz(tmp.resolve("aclImdb_v1.tar.gz"));
        // Unlabelled reviews not published: the corpus still reads them.
        dataset = new DatasetBuilder(new DatasetBuilder.Options(VOCAB_20, 113, false, false, true))
                .fromAclImdb(AclImdbReader.of(archive), (s, i, t) -> { });
    }

    private static Word2VecSettings settings(long seed) {
        return new Word2VecSettings("word2vec-test-4d", 4, 2, 3, 2, 2, seed);
    }

    private static AlignedEmbedding train(long seed) {
        return Word2VecTrainer.train(dataset.corpus().orElseThrow(), dataset.vocabulary(), settings(seed), INIT_SEED,
                (format, args) -> { });
    }

    @Test
    void shouldKeepTheTrainingAndUnlabelledReviewsOnlyInTheCorpus() {
        assertThat(dataset.corpus()).hasValueSatisfying(c -> {
            assertThat(c.reviews()).containsExactly(Map.entry("train", 6), Map.entry("unsup", 1));
            assertThat(c.tokens()).isEqualTo(17 + 3);
        });
        assertThat(dataset.reviews(ImdbSplit.UNSUP)).as("not published without unsup").isEmpty();
        assertThat(dataset.stats()).doesNotContainKey(Stats.reviews("unsup"));
    }

    @Test
    void shouldPutTheVectorOfWordIdIInRowIAndKeepTheSeededInitInTheGaps() {
        Vocabulary v = dataset.vocabulary();
        AlignedEmbedding e = train(42);
        AlignedEmbedding init = AlignedEmbedding.builder(v, 4, INIT_SEED).build("none", "none", null);

        assertThat(e.rows()).isEqualTo(20);
        assertThat(e.covered()).isEqualTo(3);
        assertThat(e.total()).isEqualTo(8);
        assertThat(e.missing()).containsExactly("acting", "boring", "fun", "good", "plot");
        for (String word : new String[] {"bad", "great", "movie"}) {
            assertThat(e.row(v.id(word))).as(word).isNotEqualTo(init.row(v.id(word)));
        }
        for (int id : new int[] {0, 1, 2, v.id("acting"), v.id("plot"), 11, 19}) {
            assertThat(e.row(id)).as("row %d", id).containsExactly(init.row(id));
        }
    }

    @Test
    void shouldGiveNoVectorToAWordThatReachesTheMinimumFrequencyOnlyWithTestReviews() {
        Vocabulary v = dataset.vocabulary();
        AlignedEmbedding e = train(42);

        assertThat(v.word(10)).isEqualTo("plot");
        assertThat(e.missing()).contains("plot");
    }

    @Test
    void shouldRecordCoverageAndProvenanceInTheRecords() {
        AlignedEmbedding e = train(42);
        EmbeddingMatrix record = e.toRecord(dataset.datasetId(), "word2vec-test-4d");

        assertThat(e.coverage("word2vec-test-4d").covered()).isEqualTo(3);
        assertThat(record.covered()).isEqualTo(3);
        assertThat(record.provenance()).containsEntry("vectorSize", "4").containsEntry("minWordFrequency", "3")
                .containsEntry("seed", "42").containsEntry("trainingThreads", "1").containsEntry("reviews.train", "6")
                .containsEntry("reviews.unsup", "1").containsEntry("tokens", "20").containsKey("trainingSeconds");
    }

    @Test
    void shouldGiveTheSameVectorsForTheSameSeed() {
        assertThat(train(42).matrix()).containsExactly(train(42).matrix());
    }

    @Test
    void shouldRejectBadSettingsNamingThem() {
        assertThatThrownBy(() -> new Word2VecSettings("w", 0, 5, 5, 5, 5, 1)).hasMessageContaining("vector size");
        assertThatThrownBy(() -> new Word2VecSettings("w", 10, 5, 5, 0, 5, 1)).hasMessageContaining("epochs");
        assertThatThrownBy(() -> new Word2VecSettings("w-frozen", 10, 5, 5, 5, 5, 1))
                .hasMessageContaining("-frozen");
    }
}
