package dev.imdbstream.benchmarks.scorer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.RawReview;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;

/**
 * The benchmark's reviews: real test reviews when {@code imdb.data.dir} holds the archive (the vocabulary from every
 * training review, as the ingestor builds it), otherwise synthetic text on a small vocabulary.
 */
final class BenchData {

    private static final List<String> POSITIVE = List.of("great", "wonderful", "excellent", "loved", "brilliant",
            "superb", "enjoyable", "masterpiece");
    private static final List<String> NEGATIVE = List.of("awful", "terrible", "boring", "worst", "waste", "dull",
            "horrible", "poor");
    private static final List<String> NEUTRAL = List.of("the", "a", "movie", "film", "plot", "actor", "story",
            "scene", "it", "was", "and", "of", "this", "i", "watched", "ending", "character", "director", "music",
            "time", "cast", "script", "with", "his", "her", "they", "for", "on", "in", "at");
    /** The synthetic text's vocabulary: ids below 64, sequences of 24. */
    private static final Preprocessing SYNTHETIC = new Preprocessing(Tokenizer.NAME, 64, 24, Preprocessing.PRE,
            Preprocessing.PRE, 0, 1, 2, 3);

    private BenchData() {
    }

    /** The archive, or null when the data directory does not hold it. */
    static Path archive() {
        String dir = System.getProperty("imdb.data.dir");
        if (dir == null) {
            return null;
        }
        Path archive = Path.of(dir).resolve("aclImdb_v1.tar.gz");
        return Files.isRegularFile(archive) ? archive : null;
    }

    /** Adds {@code n} review texts (half positive, fixed seed) to {@code texts}; returns their vocabulary. */
    static Vocabulary reviews(int n, List<String> texts) {
        Path archive = archive();
        return archive != null ? real(archive, n, texts) : synthetic(n, texts);
    }

    private static Vocabulary real(Path archive, int n, List<String> texts) {
        Map<String, Long> counts = new HashMap<>();
        List<RawReview> test = new ArrayList<>();
        try {
            AclImdbReader.of(archive).read(EnumSet.of(ImdbSplit.TRAIN, ImdbSplit.TEST), review -> {
                if (review.split() == ImdbSplit.TRAIN) {
                    Vocabulary.count(counts, Tokenizer.tokenize(review.text()));
                } else {
                    test.add(review);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        balancedSample(test, n, 6).stream().map(RawReview::text).forEach(texts::add);
        return Vocabulary.fromCounts(Preprocessing.defaults(Tokenizer.NAME), counts);
    }

    private static List<RawReview> balancedSample(List<RawReview> all, int size, long seed) {
        List<RawReview> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(seed));
        List<RawReview> out = new ArrayList<>(size);
        int positives = 0;
        int negatives = 0;
        for (RawReview r : shuffled) {
            if (r.label() == 1 && positives < size / 2) {
                positives++;
                out.add(r);
            } else if (r.label() == 0 && negatives < size - size / 2) {
                negatives++;
                out.add(r);
            }
            if (out.size() == size) {
                break;
            }
        }
        return out;
    }

    private static Vocabulary synthetic(int n, List<String> texts) {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 230; w++) {
                text.append(sentence(random, random.nextBoolean())).append(' ');
            }
            texts.add(text.toString());
        }
        List<String> words = new ArrayList<>(NEUTRAL);
        words.addAll(POSITIVE);
        words.addAll(NEGATIVE);
        return new Vocabulary(SYNTHETIC, words);
    }

    /** Neutral words with a few words of one sentiment. */
    private static String sentence(SplittableRandom random, boolean positive) {
        List<String> cue = positive ? POSITIVE : NEGATIVE;
        int length = 8 + random.nextInt(10);
        List<String> words = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            words.add(NEUTRAL.get(random.nextInt(NEUTRAL.size())));
        }
        for (int i = 0; i < 2 + random.nextInt(2); i++) {
            words.set(random.nextInt(length), cue.get(random.nextInt(cue.size())));
        }
        String text = String.join(" ", words);
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + (positive ? "!" : ".");
    }
}
