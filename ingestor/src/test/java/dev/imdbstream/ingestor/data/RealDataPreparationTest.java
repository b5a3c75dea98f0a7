package dev.imdbstream.ingestor.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.AlignedEmbedding;
import dev.imdbstream.common.data.DataFiles;
import dev.imdbstream.common.data.GloveReader;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord.Stats;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.ingestor.TestData;

/** The production preparation on the shared real data (skipped when it is absent). */
class RealDataPreparationTest {

    static PreparedDataset dataset;

    @BeforeAll
    static void prepare() throws IOException {
        Path archive = TestData.realData("aclImdb_v1.tar.gz");
        dataset = new DatasetBuilder(new DatasetBuilder.Options(Preprocessing.defaults(Tokenizer.NAME), 113, false, false))
                .fromAclImdb(AclImdbReader.of(archive), (s, i, t) -> { });
    }

    @Test
    void shouldHaveExactly25000ReviewsPerSplitAndHalfOfEachLabel() {
        for (ImdbSplit split : new ImdbSplit[] {ImdbSplit.TRAIN, ImdbSplit.TEST}) {
            assertThat(dataset.reviews(split)).as(split.wireName()).hasSize(25_000);
            assertThat(dataset.reviews(split).stream().filter(r -> r.label() == 1)).hasSize(12_500);
            assertThat(dataset.reviews(split).stream().filter(r -> r.label() == 0)).hasSize(12_500);
            assertThat(dataset.reviews(split)).extracting(ReviewSequence::index).doesNotHaveDuplicates()
                    .allMatch(i -> i >= 0 && i < 25_000);
        }
    }

    @Test
    void shouldPadOrTruncateEverySequenceTo150IdsBelow10000() {
        for (ImdbSplit split : new ImdbSplit[] {ImdbSplit.TRAIN, ImdbSplit.TEST}) {
            assertThat(dataset.reviews(split)).allSatisfy(r -> {
                assertThat(r.tokens()).hasSize(150);
                assertThat(dataset.vocabulary().validate(r.tokens())).isNull();
            });
        }
        assertThat(dataset.vocabulary().words()).hasSize(9_997).startsWith("the");
        assertThat(dataset.reviews(ImdbSplit.TRAIN).subList(0, 100))
                .as("the shuffle mixes the labels the archive sorts by")
                .extracting(ReviewSequence::label).contains(0, 1);
        System.out.printf(Locale.ROOT, "real data: OOV tokens train %.2f%% test %.2f%%, truncated train %.1f%% test %.1f%%%n",
                100 * dataset.stats().get(Stats.oovShare("train")), 100 * dataset.stats().get(Stats.oovShare("test")),
                100 * dataset.stats().get(Stats.truncatedShare("train")),
                100 * dataset.stats().get(Stats.truncatedShare("test")));
    }

    @Test
    void shouldReportGloveCoverageOfTheVocabulary() throws IOException {
        Path glove = TestData.realData(DataFiles.GLOVE_100D_IMDB_SUBSET);

        AlignedEmbedding e = GloveReader.read(glove, 100, dataset.vocabulary(), 113);

        System.out.printf(Locale.ROOT, "real data: GloVe covers %d of %d vocabulary words (%.2f%%); first missing: %s%n",
                e.covered(), e.total(), 100 * e.coverage(), e.missing().subList(0, 20));
        assertThat(e.coverage()).isBetween(0.95, 1.0);
        float[] the = e.row(dataset.vocabulary().id("the"));
        assertThat(the[0]).isEqualTo(-0.038194f);
        assertThat(the[1]).isEqualTo(-0.24487f);
        assertThat(the[2]).isEqualTo(0.72812f);
    }
}
