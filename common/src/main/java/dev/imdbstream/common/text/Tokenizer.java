package dev.imdbstream.common.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one tokenization rule of the system, {@value #NAME}:
 * <ol>
 * <li>HTML tags (the corpus' {@code <br />} line breaks, {@code <i>}, {@code </i>}: a {@code <} followed by a letter
 *     or {@code /}) become spaces; other {@code <} and {@code >} are punctuation ({@code 1 < 2}, {@code <3});</li>
 * <li>the text is lower-cased ({@link Locale#ROOT}) and typographic apostrophes become {@code '};</li>
 * <li>tokens are the maximal runs of letters and digits, where an apostrophe between two letters stays
 *     inside the word ({@code don't}, {@code it's}); every other character (punctuation, symbols,
 *     whitespace) separates tokens and is dropped, as Keras' {@code Tokenizer} filters do.</li>
 * </ol>
 * Thread-safe and stateless.
 */
public final class Tokenizer {

    public static final String NAME = "imdb-words-v1";

    /** A tag starts with a letter or '/', so comparisons such as "1 < 2 and 3 > 2" keep their words. */
    private static final Pattern HTML_TAG = Pattern.compile("</?[A-Za-z][^<>]{0,64}>");

    private Tokenizer() {
    }

    public static List<String> tokenize(String text) {
        String s = HTML_TAG.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>(s.length() / 5 + 1);
        int n = s.length();
        int i = 0;
        StringBuilder word = new StringBuilder(24);
        while (i < n) {
            int cp = s.codePointAt(i);
            int width = Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (isApostrophe(cp) && word.length() > 0 && Character.isLetter(word.codePointBefore(word.length()))
                    && i + width < n && Character.isLetter(s.codePointAt(i + width))) {
                word.append('\'');
            } else if (word.length() > 0) {
                tokens.add(word.toString());
                word.setLength(0);
            }
            i += width;
        }
        if (word.length() > 0) {
            tokens.add(word.toString());
        }
        return tokens;
    }

    private static boolean isApostrophe(int cp) {
        return cp == '\'' || cp == '\u2019' || cp == '\u2018' || cp == '`';
    }
}
