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
}
