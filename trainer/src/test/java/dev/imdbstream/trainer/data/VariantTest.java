package dev.imdbstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewEmbedding;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.schema.VocabularyRecord.EmbeddingCoverage;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.model.EmbeddingVariant;

class VariantTest {

    private static final String GLOVE = "glove.6B.100d";
    private static final String WORD2VEC = "word2vec-imdb-100d";

    private static VocabularyRecord manifest(String... embeddings) {
        List<EmbeddingCoverage> coverage = Arrays.stream(embeddings)
                .map(n -> new EmbeddingCoverage(n, 9, 10, "test")).toList();
        return new VocabularyRecord(VocabularyRecord.VERSION, "imdb-test", Preprocessing.defaults(Tokenizer.NAME),
                List.of("the"), "test", Map.of(), coverage, 0);
    }

    @Test
    void shouldResolveAnEmbeddingTheManifestListsTrainableAndFrozen() throws DataException {
        VocabularyRecord m = manifest(GLOVE, WORD2VEC);

        assertThat(Variant.resolve(WORD2VEC, m, GLOVE)).isEqualTo(new Variant(WORD2VEC, Optional.of(WORD2VEC), false));
        assertThat(Variant.resolve(WORD2VEC + "-frozen", m, GLOVE))
                .isEqualTo(new Variant(WORD2VEC + "-frozen", Optional.of(WORD2VEC), true));
        assertThat(EmbeddingVariant.forName(WORD2VEC)).isEqualTo(EmbeddingVariant.PRETRAINED);
        assertThat(EmbeddingVariant.forName(WORD2VEC + "-frozen").trainable()).isFalse();
        assertThat(EmbeddingVariant.forName(WORD2VEC + "-frozen").pretrained()).isTrue();
    }

    @Test
    void shouldKeepTheNamedVariants() throws DataException {
        VocabularyRecord m = manifest(GLOVE, WORD2VEC);

        assertThat(Variant.resolve("glove-frozen", m, GLOVE)).isEqualTo(new Variant("glove-frozen", Optional.of(GLOVE), true));
        assertThat(Variant.resolve("random", m, GLOVE)).isEqualTo(new Variant("random", Optional.empty(), false));
        assertThat(Variant.resolve("tfidf-logreg", m, GLOVE).classical()).isTrue();
        assertThat(Variant.resolve("tfidf-logreg", m, GLOVE).sentenceEncoder()).isEmpty();
        Variant encoder = Variant.resolve("minilm-logreg", m, GLOVE);
        assertThat(encoder.classical()).isFalse();
        assertThat(encoder.sentenceEncoder()).contains(ReviewEmbedding.MINILM);
        assertThat(encoder.combined()).isFalse();
        Variant both = Variant.resolve("tfidf-minilm-logreg", m, GLOVE);
        assertThat(both.combined()).isTrue();
        assertThat(both.sentenceEncoder()).contains(ReviewEmbedding.MINILM);
        assertThat(EmbeddingVariant.forName("glove-frozen")).isEqualTo(EmbeddingVariant.GLOVE_FROZEN);
    }

    @Test
    void shouldRejectAnEmbeddingTheManifestDoesNotList() {
        VocabularyRecord gloveOnly = manifest(GLOVE);

        assertThatThrownBy(() -> Variant.resolve(WORD2VEC, gloveOnly, GLOVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("random, glove, glove-frozen").hasMessageContaining("tfidf-logreg")
                .hasMessageContaining("minilm-logreg")
                .hasMessageContaining("[" + GLOVE + "]");
        assertThatThrownBy(() -> Variant.resolve("glove", manifest(), GLOVE)).isInstanceOf(DataException.class);
    }
}
