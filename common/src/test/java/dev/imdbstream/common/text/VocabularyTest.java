package dev.imdbstream.common.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.imdbstream.common.schema.Preprocessing;

class VocabularyTest {

    private static Preprocessing settings(int numWords, int maxLen, String padding, String truncating) {
        return new Preprocessing(Tokenizer.NAME, numWords, maxLen, padding, truncating, 0, 1, 2, 3);
    }

    /** the:3, sat:2, cat:1, dog:1, end:1; with numWords 7 there is room for 4 words (ids 3..6). */
    private static Vocabulary catsAndDogs(int maxLen, String padding, String truncating) {
        Map<String, Long> counts = new HashMap<>();
        for (String review : List.of("The cat sat.", "the dog sat", "THE END")) {
            Vocabulary.count(counts, Tokenizer.tokenize(review));
        }
        return Vocabulary.fromCounts(settings(7, maxLen, padding, truncating), counts);
    }

    @Test
    void shouldRankWordsByFallingCountThenByWordFromIndexFrom() {
        Vocabulary v = catsAndDogs(6, "pre", "pre");
        assertThat(v.words()).containsExactly("the", "sat", "cat", "dog");
        assertThat(v.id("the")).isEqualTo(3);
        assertThat(v.id("sat")).isEqualTo(4);
        assertThat(v.id("cat")).isEqualTo(5);
        assertThat(v.id("dog")).isEqualTo(6);
        assertThat(v.id("end")).as("ranked beyond numWords").isEqualTo(2);
        assertThat(v.id("unseen")).isEqualTo(2);
        assertThat(v.word(3)).isEqualTo("the");
        assertThat(v.word(0)).isNull();
        assertThat(v.word(7)).isNull();
        assertThat(v.size()).isEqualTo(7);
    }

    @Test
    void shouldStartEverySequenceWithTheStartId() {
        Vocabulary v = catsAndDogs(6, "pre", "pre");
        assertThat(v.encode(Tokenizer.tokenize("the end, cat"))).containsExactly(1, 3, 2, 5);
        assertThat(v.encode(List.of())).containsExactly(1);
    }

    @Test
    void shouldPadBeforeTheSequenceLikeKerasDefault() {
        Vocabulary v = catsAndDogs(6, "pre", "pre");
        assertThat(v.encodeText("the end, cat")).containsExactly(0, 0, 1, 3, 2, 5);
    }

    @Test
    void shouldPadAfterTheSequenceWhenPost() {
        Vocabulary v = catsAndDogs(6, "post", "pre");
        assertThat(v.encodeText("the end, cat")).containsExactly(1, 3, 2, 5, 0, 0);
    }

    @Test
    void shouldKeepTheLastIdsWhenTruncatingPreSoTheStartIdFallsOff() {
        Vocabulary v = catsAndDogs(3, "pre", "pre");
        assertThat(v.encodeText("the end, cat")).containsExactly(3, 2, 5);
    }

    @Test
    void shouldKeepTheFirstIdsWhenTruncatingPost() {
        Vocabulary v = catsAndDogs(3, "pre", "post");
        assertThat(v.encodeText("the end, cat")).containsExactly(1, 3, 2);
    }

    @Test
    void shouldLeaveASequenceOfExactlyMaxLenUnchanged() {
        Vocabulary v = catsAndDogs(4, "pre", "pre");
        assertThat(v.encodeText("the end, cat")).containsExactly(1, 3, 2, 5);
    }

    @Test
    void shouldValidateLengthAndIdRange() {
        Vocabulary v = catsAndDogs(3, "pre", "pre");
        assertThat(v.validate(new int[] {0, 1, 6})).isNull();
        assertThat(v.validate(new int[] {0, 1})).contains("length 2");
        assertThat(v.validate(new int[] {0, 1, 7})).contains("token id 7");
        // Ids of a whole review: any length, the same range.
        assertThat(v.validateIds(new int[] {1, 3, 4, 5, 6, 3})).isNull();
        assertThat(v.validateIds(new int[] {1, 7})).contains("token id 7");
        assertThat(v.validateIds(null)).isEqualTo("no tokens");
    }

    @Test
    void shouldEncodeEveryIdOfALongReviewWhereThePaddedSequenceKeepsTheLast() {
        Vocabulary v = catsAndDogs(3, "pre", "pre");
        String review = "The cat sat, the dog sat.";
        int[] all = v.encodeAll(review);
        assertThat(all).hasSize(7).startsWith(1).containsExactly(v.encode(Tokenizer.tokenize(review)));
        assertThat(v.encodeText(review)).containsExactly(java.util.Arrays.copyOfRange(all, 4, 7));
    }

    @Test
    void shouldRejectDuplicateWordsAndTooManyWords() {
        assertThatThrownBy(() -> new Vocabulary(settings(7, 5, "pre", "pre"), List.of("a", "b", "a")))
                .hasMessageContaining("duplicate word");
        assertThatThrownBy(() -> new Vocabulary(settings(5, 5, "pre", "pre"), List.of("a", "b", "c")))
                .hasMessageContaining("do not fit");
    }
}
