package dev.imdbstream.common.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
        return isAscii(text) ? tokenizeAscii(text) : tokenizeUnicode(text);
    }

    private static boolean isAscii(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same rule in one pass without regex or copies, for the common all-ASCII review (ingestion tokenizes
     * 50,000 of them): tags are recognised where they start, letters lower-cased as they are copied.
     */
    static List<String> tokenizeAscii(String s) {
        int n = s.length();
        List<String> tokens = new ArrayList<>(n / 5 + 1);
        // Bytes, not chars: a String made from ISO-8859-1 bytes is a plain copy into its compact form.
        byte[] word = new byte[Math.min(n, 256)];
        int len = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                word = append(word, len++, c);
                i++;
            } else if (c >= 'A' && c <= 'Z') {
                word = append(word, len++, (char) (c + ('a' - 'A')));
                i++;
            } else if ((c == '\'' || c == '`') && len > 0 && isAsciiLetter((char) word[len - 1]) && i + 1 < n
                    && isAsciiLetter(s.charAt(i + 1))) {
                word = append(word, len++, '\'');
                i++;
            } else {
                if (len > 0) {
                    tokens.add(new String(word, 0, len, StandardCharsets.ISO_8859_1));
                    len = 0;
                }
                i = c == '<' ? endOfTag(s, i) : i + 1;
            }
        }
        if (len > 0) {
            tokens.add(new String(word, 0, len, StandardCharsets.ISO_8859_1));
        }
        return tokens;
    }

    /** The index after the tag starting at {@code lt} (as {@link #HTML_TAG} would match it), or {@code lt + 1}. */
    private static int endOfTag(String s, int lt) {
        int n = s.length();
        int j = lt + 1;
        if (j < n && s.charAt(j) == '/') {
            j++;
        }
        if (j >= n || !isAsciiLetter(s.charAt(j))) {
            return lt + 1;
        }
        for (int k = j + 1; k < n && k <= j + 1 + 64; k++) {
            char c = s.charAt(k);
            if (c == '>') {
                return k + 1;
            }
            if (c == '<') {
                return lt + 1;
            }
        }
        return lt + 1;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static byte[] append(byte[] word, int at, char c) {
        byte[] w = at == word.length ? Arrays.copyOf(word, Math.max(16, at * 2)) : word;
        w[at] = (byte) c;
        return w;
    }

    static List<String> tokenizeUnicode(String text) {
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
