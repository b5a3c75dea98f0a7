package dev.imdbstream.model.tfidf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;

class TfidfFeaturizerTest {

    private static final Preprocessing PREPROCESSING = new Preprocessing(Tokenizer.NAME, 32, 12, Preprocessing.PRE,
            Preprocessing.PRE, 0, 1, 2, 3);
    private static final List<String> TRAIN = List.of(
            "A great film, a <br />GREAT cast.",
            "Great acting; dull plot.",
            "Dull, dull and long.",
            "The cast was great.");
    private static final Vocabulary VOCABULARY = vocabulary();

    private static Vocabulary vocabulary() {
        Map<String, Long> counts = new HashMap<>();
        TRAIN.forEach(t -> Vocabulary.count(counts, Tokenizer.tokenize(t)));
        return Vocabulary.fromCounts(PREPROCESSING, counts);
    }

    private static int[][] encoded(List<String> texts) {
        return texts.stream().map(VOCABULARY::encodeText).toArray(int[][]::new);
    }

    private static int id(String word) {
        return VOCABULARY.id(word);
    }

    @Test
    void shouldKeepTheUniAndBigramsOfAtLeastMinDfReviewsWithSmoothedIdf() {
        TfidfFeaturizer f = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 2);
        // In >= 2 of the 4 reviews: great (3), cast (2), dull (2); every bigram is in one review only.
        assertThat(Arrays.stream(f.terms()).boxed().toList()).containsExactlyElementsOf(
                List.of(id("great"), id("cast"), id("dull")).stream().sorted().map(Long::valueOf).toList());
        int great = Arrays.binarySearch(f.terms(), id("great"));
        assertThat(f.idf()[great]).isCloseTo(Math.log(5.0 / 4.0) + 1, within(1e-12));

        TfidfFeaturizer all = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 1);
        assertThat(Arrays.stream(all.terms()).boxed().toList())
                .contains(TfidfFeaturizer.bigram(id("great"), id("cast"), 32), TfidfFeaturizer.bigram(id("dull"), id("dull"), 32))
                .doesNotContain(TfidfFeaturizer.bigram(1, id("a"), 32)); // the start id is no word
    }

    @Test
    void shouldWeighSublinearTfTimesIdfAndNormaliseRows() {
        TfidfFeaturizer f = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 1);
        TfidfFeaturizer.Row row = f.features(VOCABULARY.encodeText("dull dull dull great"));
        double dull = (1 + Math.log(3)) * f.idf()[Arrays.binarySearch(f.terms(), id("dull"))];
        double great = f.idf()[Arrays.binarySearch(f.terms(), id("great"))];
        double dullDull = (1 + Math.log(2)) * f.idf()[Arrays.binarySearch(f.terms(), TfidfFeaturizer.bigram(id("dull"), id("dull"), 32))];
        double norm = Math.sqrt(dull * dull + great * great + dullDull * dullDull); // "dull great" is no known term
        Map<Long, Double> byTerm = new HashMap<>();
        for (int k = 0; k < row.indexes().length; k++) {
            byTerm.put(f.terms()[row.indexes()[k]], row.values()[k]);
        }
        assertThat(byTerm).hasSize(3);
        assertThat(byTerm.get((long) id("dull"))).isCloseTo(dull / norm, within(1e-12));
        assertThat(byTerm.get((long) id("great"))).isCloseTo(great / norm, within(1e-12));
        assertThat(row.indexes()).isSorted();
        assertThat(f.features(VOCABULARY.encodeText("nothing known here")).indexes()).isEmpty();
    }

    @Test
    void shouldScoreServedTextExactlyAsTheTrainedSequences() {
        // Training reads the ingested sequences, serving encodes raw text: both are Vocabulary.encodeText of the
        // review, so a model fitted on one and its decoded artifact applied to the other agree to the bit.
        TfidfFeaturizer f = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 1);
        double[] weights = new double[f.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 3) - 1 + 0.25 * i;
        }
        TfidfLogisticModel trained = new TfidfLogisticModel(f, weights, -0.3);
        TfidfLogisticModel served = TfidfLogisticModel.decode(trained.encode(), PREPROCESSING);
        List<String> reviews = List.of("A GREAT film!", "dull, dull; long", "The cast was great<br />and long.", "");
        double[] atTraining = trained.predict(encoded(reviews));
        double[] atServing = reviews.stream().mapToDouble(t -> served.predict(new int[][] {VOCABULARY.encodeText(t)})[0])
                .toArray();
        assertThat(atServing).containsExactly(atTraining);
        assertThat(served.featurizer().terms()).containsExactly(f.terms());
        assertThat(atTraining[3]).isEqualTo(1 / (1 + Math.exp(0.3))); // no terms: the intercept alone
    }

    @Test
    void shouldRejectEncodingsThatDoNotFit() {
        TfidfFeaturizer f = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 1);
        byte[] good = new TfidfLogisticModel(f, new double[f.size()], 0).encode();
        assertThatThrownBy(() -> TfidfLogisticModel.decode(Arrays.copyOf(good, good.length - 1), PREPROCESSING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fill");
        byte[] bad = good.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> TfidfLogisticModel.decode(bad, PREPROCESSING)).hasMessageContaining("not a TFLR");
        Preprocessing other = new Preprocessing(Tokenizer.NAME, 64, 12, Preprocessing.PRE, Preprocessing.PRE, 0, 1, 2, 3);
        assertThatThrownBy(() -> TfidfLogisticModel.decode(good, other)).hasMessageContaining("word ids");
    }
}
