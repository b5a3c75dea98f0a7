package dev.imdbstream.ingestor.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.KerasImdbNpz;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord.Stats;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.ingestor.TestData;

class DatasetBuilderTest {

    private static final Preprocessing SMALL = new Preprocessing(Tokenizer.NAME, 9, 4, "pre", "pre", 0, 1, 2, 3);

    @TempDir
    Path tmp;

    private static DatasetBuilder builder(Preprocessing p, long seed, boolean unsup) {
        return new DatasetBuilder(new DatasetBuilder.Options(p, seed, unsup, true));
    }

    private PreparedDataset prepare(Preprocessing p, long seed, boolean unsup) throws IOException {
        Path archive = TestData.writeTarGz(tmp.resolve("aclImdb_v1.tar.gz"));
        return builder(p, seed, unsup).fromAclImdb(AclImdbReader.of(archive), (s, i, t) -> { });
    }

    @Test
    void shouldBuildTheVocabularyFromTheTrainingSplitOnly() throws IOException {
        PreparedDataset d = prepare(SMALL, 113, false);

        assertThat(d.vocabulary().words()).containsExactly("bad", "great", "movie", "acting", "boring", "fun");
        assertThat(d.vocabulary().id("unseenword")).as("only in test").isEqualTo(2);
        assertThat(d.stats()).containsEntry(Stats.TRAIN_DISTINCT_WORDS, 8.0);
    }

    @Test
    void shouldEncodeEveryReviewAsTheScorerWouldItsText() throws IOException {
        PreparedDataset d = prepare(SMALL, 113, true);

        for (ImdbSplit split : ImdbSplit.values()) {
            for (ReviewSequence r : d.reviews(split)) {
                assertThat(r.tokens()).as(r.id()).containsExactly(d.vocabulary().encodeText(r.text()));
                assertThat(r.allTokens()).as(r.id()).containsExactly(d.vocabulary().encodeAll(r.text()));
                assertThat(d.vocabulary().validate(r.tokens())).isNull();
                assertThat(r.datasetId()).isEqualTo(d.datasetId());
                assertThat(r.split()).isEqualTo(split.wireName());
            }
        }
        ReviewSequence greatMovie = d.reviews(ImdbSplit.TEST).stream().filter(r -> r.id().equals("test/pos/0")).findFirst().orElseThrow();
        assertThat(greatMovie.tokens()).containsExactly(1, 4, 5, 2);
        assertThat(greatMovie.label()).isEqualTo(1);
        assertThat(greatMovie.rating()).isEqualTo(9);
        ReviewSequence longest = d.reviews(ImdbSplit.TRAIN).stream().filter(r -> r.id().equals("train/pos/1")).findFirst().orElseThrow();
        assertThat(longest.tokens()).as("good movie great acting, start id cut by pre-truncation").containsExactly(2, 5, 4, 6);
        assertThat(longest.allTokens()).as("every id, the start id too").containsExactly(1, 2, 5, 4, 6);
        ReviewSequence unsup = d.reviews(ImdbSplit.UNSUP).get(0);
        assertThat(unsup.id()).isEqualTo("unsup/unsup/0");
        assertThat(unsup.label()).isEqualTo(-1);
        assertThat(unsup.tokens()).containsExactly(1, 4, 2, 2);
    }

    @Test
    void shouldShuffleEachSplitReproduciblyAndNumberByPosition() throws IOException {
        PreparedDataset a = prepare(SMALL, 113, false);
        PreparedDataset b = prepare(SMALL, 113, false);

        List<ReviewSequence> train = a.reviews(ImdbSplit.TRAIN);
        assertThat(train).extracting(ReviewSequence::index).containsExactlyElementsOf(IntStream.range(0, 6).boxed().toList());
        assertThat(train).extracting(ReviewSequence::id)
                .containsExactlyElementsOf(b.reviews(ImdbSplit.TRAIN).stream().map(ReviewSequence::id).toList());
        assertThat(train).extracting(ReviewSequence::id).isNotEqualTo(List.of("train/neg/0", "train/neg/1",
                "train/neg/2", "train/pos/0", "train/pos/1", "train/pos/2"));
    }

    @Test
    void shouldGiveTheSameDatasetIdForTheSameContentAndSettingsOnly() throws IOException {
        PreparedDataset fromArchive = prepare(SMALL, 113, false);
        Path folder = TestData.writeFolder(tmp.resolve("extracted"));
        PreparedDataset fromFolder = builder(SMALL, 113, true).fromAclImdb(AclImdbReader.of(folder), (s, i, t) -> { });
        Preprocessing longer = new Preprocessing(Tokenizer.NAME, 9, 5, "pre", "pre", 0, 1, 2, 3);

        assertThat(fromFolder.datasetId()).as("archive or folder, with or without unsup").isEqualTo(fromArchive.datasetId());
        assertThat(fromFolder.reviews(ImdbSplit.TRAIN)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(fromArchive.reviews(ImdbSplit.TRAIN));
        assertThat(prepare(longer, 113, false).datasetId()).isNotEqualTo(fromArchive.datasetId());
        assertThat(prepare(SMALL, 114, false).datasetId()).isNotEqualTo(fromArchive.datasetId());
        assertThat(fromArchive.datasetId()).matches("imdb-[0-9a-f]{16}");
    }

    @Test
    void shouldCountReviewsOovTokensAndTruncatedReviews() throws IOException {
        PreparedDataset d = prepare(SMALL, 113, false);

        assertThat(d.stats())
                .containsEntry(Stats.reviews("train"), 6.0)
                .containsEntry(Stats.reviews("train", "pos"), 3.0)
                .containsEntry(Stats.reviews("train", "neg"), 3.0)
                .containsEntry(Stats.reviews("test"), 2.0)
                .containsEntry(Stats.tokens("test"), 5.0)
                .containsEntry(Stats.oovShare("test"), 0.4)
                .containsEntry(Stats.truncatedShare("train"), 1.0 / 6)
                .containsEntry(Stats.VOCABULARY_WORDS, 6.0)
                .doesNotContainKey(Stats.reviews("unsup"));
    }

    @Test
    void shouldReadKerasNpzWithItsOwnRanking() throws IOException {
        Preprocessing p = new Preprocessing(Tokenizer.NAME, 10, 6, "pre", "pre", 0, 1, 2, 3);
        PreparedDataset d = builder(p, 113, false).fromKerasNpz(TestData.kerasFixture("imdb.npz"),
                TestData.kerasFixture("imdb_word_index.json"), (s, i, t) -> { });

        assertThat(d.vocabulary().preprocessing().tokenizer()).isEqualTo(KerasImdbNpz.TOKENIZER);
        assertThat(d.vocabulary().words()).containsExactly("the", "movie", "a", "was", "great", "bad", "and");
        assertThat(d.reviews(ImdbSplit.TRAIN)).hasSize(6);
        assertThat(d.reviews(ImdbSplit.TEST)).hasSize(4);
        ReviewSequence first = d.reviews(ImdbSplit.TRAIN).stream().filter(r -> r.id().equals("train/pos/0")).findFirst().orElseThrow();
        assertThat(first.tokens()).as("ranks 8 10 1 2: i, loved beyond numWords").containsExactly(0, 1, 2, 2, 3, 4);
        assertThat(first.text()).isNull();
        assertThat(d.stats()).containsEntry(Stats.reviews("test", "pos"), 2.0);
    }
}
