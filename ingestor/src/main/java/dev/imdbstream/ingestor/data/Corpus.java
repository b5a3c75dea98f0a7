package dev.imdbstream.ingestor.data;

import java.util.List;
import java.util.Map;

/**
 * The token sequences word vectors are trained on: the training and unlabelled reviews, never the test ones.
 * Each sequence is one review's whole token list from {@link dev.imdbstream.common.text.Tokenizer} (before the
 * vocabulary's cut, padding and truncation), as indexes into {@code words}; reviews in canonical order (split,
 * label, file id), so the same input gives the same corpus whatever order the source lists its files.
 *
 * @param words     every distinct token the source holds (test-only ones too, but no sequence refers to them)
 * @param sequences token indexes per review
 * @param reviews   reviews per split wire name ({@code train}, {@code unsup})
 */
public record Corpus(List<String> words, List<int[]> sequences, Map<String, Integer> reviews) {

    public long tokens() {
        long n = 0;
        for (int[] s : sequences) {
            n += s.length;
        }
        return n;
    }
}
