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

    private static int[][] whole(List<String> texts) {
        return texts.stream().map(VOCABULARY::encodeAll).toArray(int[][]::new);
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
        // Training reads the ingested ids, serving encodes raw text: both are Vocabulary.encodeAll of the review (or
        // encodeText, for a model of padded sequences), so a model fitted on one and its decoded artifact applied to
        // the other agree to the bit.
        TfidfFeaturizer f = TfidfFeaturizer.fit(whole(TRAIN), PREPROCESSING, 1);
        double[] weights = new double[f.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 3) - 1 + 0.25 * i;
        }
        TfidfLogisticModel trained = new TfidfLogisticModel(f, TfidfLogisticModel.Input.WHOLE_REVIEW, weights, -0.3);
        TfidfLogisticModel served = TfidfLogisticModel.decode(trained.encode(), PREPROCESSING);
        assertThat(served.input()).isEqualTo(TfidfLogisticModel.Input.WHOLE_REVIEW);
        List<String> reviews = List.of("A GREAT film!", "dull, dull; long", "The cast was great<br />and long.", "");
        double[] atTraining = trained.predict(whole(reviews));
        double[] atServing = reviews.stream().mapToDouble(t -> served.predict(new int[][] {VOCABULARY.encodeAll(t)})[0])
                .toArray();
        assertThat(atServing).containsExactly(atTraining);
        assertThat(served.featurizer().terms()).containsExactly(f.terms());
        assertThat(atTraining[3]).isEqualTo(1 / (1 + Math.exp(0.3))); // no terms: the intercept alone
    }

    @Test
    void shouldReadTheWholeReviewWhereThePaddedSequenceIsCut() {
        // Past maxLen (12 here) the padded sequence keeps the last ids only: "great" at the start is lost to it.
        String review = "great " + "plot ".repeat(20);
        TfidfFeaturizer f = TfidfFeaturizer.fit(whole(TRAIN), PREPROCESSING, 1);
        int great = Arrays.binarySearch(f.terms(), id("great"));
        assertThat(f.features(VOCABULARY.encodeAll(review)).indexes()).contains(great);
        assertThat(f.features(VOCABULARY.encodeText(review)).indexes()).doesNotContain(great);
    }

    @Test
    void shouldReadVersionOneEncodingsAsModelsOfPaddedSequences() {
        TfidfFeaturizer f = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 1);
        byte[] v2 = new TfidfLogisticModel(f, TfidfLogisticModel.Input.WHOLE_REVIEW, new double[f.size()], 0.5).encode();
        // Version 1: the same bytes without the input field.
        byte[] v1 = new byte[v2.length - 4];
        System.arraycopy(v2, 0, v1, 0, 8);
        System.arraycopy(v2, 12, v1, 8, v2.length - 12);
        v1[7] = 1;
        TfidfLogisticModel old = TfidfLogisticModel.decode(v1, PREPROCESSING);
        assertThat(old.input()).isEqualTo(TfidfLogisticModel.Input.PADDED_SEQUENCE);
        assertThat(old.bias()).isEqualTo(0.5);
        assertThat(old.featurizer().terms()).containsExactly(f.terms());
        byte[] unknown = v2.clone();
        unknown[11] = 7;
        assertThatThrownBy(() -> TfidfLogisticModel.decode(unknown, PREPROCESSING)).hasMessageContaining("unknown input 7");
    }

    @Test
    void shouldRejectEncodingsThatDoNotFit() {
        TfidfFeaturizer f = TfidfFeaturizer.fit(encoded(TRAIN), PREPROCESSING, 1);
        byte[] good = new TfidfLogisticModel(f, TfidfLogisticModel.Input.PADDED_SEQUENCE, new double[f.size()], 0).encode();
        assertThatThrownBy(() -> TfidfLogisticModel.decode(Arrays.copyOf(good, good.length - 1), PREPROCESSING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fill");
        byte[] bad = good.clone();
        bad[0] = 'X';
        assertThatThrownBy(() -> TfidfLogisticModel.decode(bad, PREPROCESSING)).hasMessageContaining("not a TFLR");
        Preprocessing other = new Preprocessing(Tokenizer.NAME, 64, 12, Preprocessing.PRE, Preprocessing.PRE, 0, 1, 2, 3);
        assertThatThrownBy(() -> TfidfLogisticModel.decode(good, other)).hasMessageContaining("word ids");
    }
}
