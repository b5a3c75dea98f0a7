package dev.imdbstream.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void shouldLowerCaseAndDropHtmlLineBreaksAndPunctuation() {
        assertThat(Tokenizer.tokenize("This movie was GREAT!<br /><br />I loved it."))
                .containsExactly("this", "movie", "was", "great", "i", "loved", "it");
    }

    @Test
    void shouldKeepApostrophesInsideWordsOnly() {
        assertThat(Tokenizer.tokenize("Don't miss it; it's 10/10. 'Quoted' words"))
                .containsExactly("don't", "miss", "it", "it's", "10", "10", "quoted", "words");
        assertThat(Tokenizer.tokenize("rock\u2019n\u2019roll \u2018single\u2019 \u201cdouble\u201d"))
                .containsExactly("rock'n'roll", "single", "double");
        assertThat(Tokenizer.tokenize("the 90's")).containsExactly("the", "90", "s");
    }

    @Test
    void shouldKeepWordsBetweenComparisonSigns() {
        // A bare '<' is not a tag: the words up to the next '>' must survive.
        assertThat(Tokenizer.tokenize("1 < 2 and 3 > 2, I <3 it")).containsExactly("1", "2", "and", "3", "2", "i", "3", "it");
        assertThat(Tokenizer.tokenize("a<i>b</i>c<BR/>d")).containsExactly("a", "b", "c", "d");
    }

    @Test
    void shouldKeepAccentedLetters() {
        assertThat(Tokenizer.tokenize("Café NAÏVE")).containsExactly("café", "naïve");
    }

    @Test
    void shouldReturnNoTokensForEmptyOrPunctuationOnlyText() {
        assertThat(Tokenizer.tokenize("")).isEmpty();
        assertThat(Tokenizer.tokenize(" ... !!! <br />")).isEmpty();
    }

    @Test
    void shouldGiveTheSameTokensOnTheAsciiFastPathAsOnTheGeneralPath() {
        String[] texts = {"This movie was GREAT!<br /><br />I loved it.", "Don't 'quote' me`s rock`n`roll 90's",
                "1 < 2 and 3 > 2, I <3 it", "a<i>b</i>c<BR/>d", "<a <b>x</b> <", "x<" + "y".repeat(64) + ">z",
                "x<" + "y".repeat(66) + ">z", "don'<i>t it'", "'<b>'t", "<", ">", "</", "</>", "<1>", "", "A''B  c--d"};
        for (String text : texts) {
            assertThat(Tokenizer.tokenizeAscii(text)).as(text).isEqualTo(Tokenizer.tokenizeUnicode(text));
        }
        assertThat(Tokenizer.tokenize("x<" + "y".repeat(65) + ">z")).containsExactly("x", "z");
        assertThat(Tokenizer.tokenize("x<" + "y".repeat(66) + ">z")).containsExactly("x", "y".repeat(66), "z");
    }

    @Test
    void shouldGiveTheSameTokensOnBothPathsForEveryRealAsciiReview() throws java.io.IOException {
        String dir = System.getProperty("imdb.data.dir");
        java.nio.file.Path archive = dir == null ? null : java.nio.file.Path.of(dir, "aclImdb_v1.tar.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(archive != null && java.nio.file.Files.isRegularFile(archive),
                "real data (imdb.data.dir) not present: skipping");
        int[] checked = {0};
        dev.imdbstream.common.data.AclImdbReader.of(archive).read(
                java.util.EnumSet.of(dev.imdbstream.common.data.ImdbSplit.TRAIN, dev.imdbstream.common.data.ImdbSplit.TEST),
                r -> {
                    if (r.text().chars().allMatch(c -> c < 0x80)) {
                        checked[0]++;
                        if (!Tokenizer.tokenizeAscii(r.text()).equals(Tokenizer.tokenizeUnicode(r.text()))) {
                            throw new AssertionError("paths differ on " + r.id());
                        }
                    }
                });
        assertThat(checked[0]).isGreaterThan(40_000);
    }
}
