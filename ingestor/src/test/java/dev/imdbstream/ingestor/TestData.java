package dev.imdbstream.ingestor;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.imdbstream.common.data.AclImdbFixture;

/** Small inputs in the real formats, written by the tests, and the shared real data when present. */
public final class TestData {

    /**
     * Training counts: bad 5, great 4, movie 3, then acting, boring, fun, good, plot once each. With
     * numWords 9 the vocabulary is bad 3, great 4, movie 5, acting 6, boring 7, fun 8.
     */
    public static final Map<String, String> REVIEWS = new LinkedHashMap<>();

    static {
        REVIEWS.put("aclImdb/README", "Large Movie Review Dataset v1.0");
        REVIEWS.put("aclImdb/test/neg/0_2.txt", "Bad plot.");
        REVIEWS.put("aclImdb/test/pos/0_9.txt", "Great movie, unseenword!");
        REVIEWS.put("aclImdb/train/neg/0_1.txt", "Bad movie.");
        REVIEWS.put("aclImdb/train/neg/1_2.txt", "Boring, bad plot.");
        REVIEWS.put("aclImdb/train/neg/2_3.txt", "bad BAD bad");
        REVIEWS.put("aclImdb/train/pos/0_9.txt", "Great, great movie");
        REVIEWS.put("aclImdb/train/pos/1_8.txt", "Good movie.<br /><br />Great acting.");
        REVIEWS.put("aclImdb/train/pos/2_10.txt", "Great fun!");
        REVIEWS.put("aclImdb/train/unsup/0_0.txt", "great plot, unseenword");
    }

    private TestData() {
    }

    public static Path writeTarGz(Path file) throws IOException {
        return AclImdbFixture.writeTarGz(file, REVIEWS);
    }

    /** Writes the reviews as the extracted folder; returns the folder that holds aclImdb/. */
    public static Path writeFolder(Path parent) throws IOException {
        return AclImdbFixture.writeFolder(parent, REVIEWS);
    }

    /** 3-dimensional vectors for bad, great and movie (row = id * 10 + k), and one word outside the vocabulary. */
    public static Path writeGlove(Path file) throws IOException {
        return Files.writeString(file, "great 40 41 42\nunrelated 1 1 1\nbad 30 31 32\nmovie 50 51 52\n");
    }

    /** Keras' format, made by numpy: common's test fixture (see its make_fixture.py). */
    public static Path kerasFixture(String name) {
        return Path.of("..", "common", "src", "test", "resources", "keras-imdb", name).toAbsolutePath().normalize();
    }

    /** A file of the shared real data, or the test is skipped with a message saying why. */
    public static Path realData(String name) {
        String dir = System.getProperty("imdb.data.dir");
        assumeTrue(dir != null, "system property imdb.data.dir not set: skipping the real-data test");
        Path p = Path.of(dir).resolve(name);
        assumeTrue(Files.exists(p), p + " not present: skipping the real-data test");
        return p;
    }
}
