package dev.imdbstream.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Vocabulary;

/**
 * Reads Keras' IMDB data set: {@code imdb.npz} ({@code x_train}, {@code y_train}, {@code x_test},
 * {@code y_test}; the {@code x_*} are numpy object arrays of Python lists of word ranks, pickled inside the
 * {@code .npy} entries) and {@code imdb_word_index.json} (word to rank, 1 = most frequent).
 * <p>
 * Maps Keras' ids to this project's {@link Vocabulary} layout: 0 padding, 1 start, 2 out of vocabulary, the
 * word of rank {@code r} at id {@code indexFrom + r - 1}, every id below {@code numWords}. That is Keras'
 * {@code load_data(start_char=1, oov_char=2, index_from=3, num_words=...)} with one difference: Keras leaves
 * id 3 unused (its word ids are {@code rank + 3}), this layout gives id 3 to the most frequent word, so a
 * word's id here is Keras' id minus one and {@code num_words=10000} keeps 9,997 words instead of 9,996.
 */
public final class KerasImdbNpz {

    public static final String TOKENIZER = "keras-imdb-word-index";

    /** The four arrays of {@code imdb.npz}; {@code x} rows are raw word ranks as stored (no start id, no offset). */
    public record Data(int[][] xTrain, int[] yTrain, int[][] xTest, int[] yTest) {
        public int[][] x(ImdbSplit split) {
            return switch (split) {
                case TRAIN -> xTrain;
                case TEST -> xTest;
                case UNSUP -> new int[0][];
            };
        }

        public int[] y(ImdbSplit split) {
            return switch (split) {
                case TRAIN -> yTrain;
                case TEST -> yTest;
                case UNSUP -> new int[0];
            };
        }
    }

    private KerasImdbNpz() {
    }

    public static Data readNpz(Path npz) throws DataFileException {
        if (!Files.isRegularFile(npz)) {
            throw new DataFileException("Keras IMDB data not found: " + npz + " does not exist");
        }
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            Data data = new Data(intLists(zip, npz, "x_train"), ints(zip, npz, "y_train"),
                    intLists(zip, npz, "x_test"), ints(zip, npz, "y_test"));
            check(npz, "train", data.xTrain(), data.yTrain());
            check(npz, "test", data.xTest(), data.yTest());
            return data;
        } catch (DataFileException e) {
            throw e;
        } catch (ZipException e) {
            throw new DataFileException(npz + " is not a valid .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException("cannot read " + npz + ": " + e, e);
        }
    }

    /** Word to rank (1 = most frequent), as {@code keras.datasets.imdb.get_word_index()}. */
    public static Map<String, Integer> readWordIndex(Path json) throws DataFileException {
        if (!Files.isRegularFile(json)) {
            throw new DataFileException("Keras IMDB word index not found: " + json + " does not exist");
        }
        try (InputStream in = Files.newInputStream(json)) {
            return Json.MAPPER.readValue(in, new TypeReference<LinkedHashMap<String, Integer>>() {
            });
        } catch (IOException e) {
            throw new DataFileException(json + " is not a Keras word index (a JSON object of word to rank): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The vocabulary of the words ranked {@code 1 .. numWords - indexFrom} (fewer when the index is smaller).
     *
     * @throws DataFileException when a rank in that range has no word or two words
     */
    public static Vocabulary vocabulary(Map<String, Integer> wordIndex, Preprocessing preprocessing)
            throws DataFileException {
        int capacity = preprocessing.numWords() - preprocessing.indexFrom();
        int maxRank = wordIndex.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        int keep = Math.min(capacity, maxRank);
        String[] byRank = new String[keep];
        for (Map.Entry<String, Integer> e : wordIndex.entrySet()) {
            int rank = e.getValue();
            if (rank < 1) {
                throw new DataFileException("word index gives '" + e.getKey() + "' rank " + rank + ", ranks start at 1");
            }
            if (rank <= keep) {
                if (byRank[rank - 1] != null) {
                    throw new DataFileException("word index gives rank " + rank + " to both '" + byRank[rank - 1]
                            + "' and '" + e.getKey() + "'");
                }
                byRank[rank - 1] = e.getKey();
            }
        }
        List<String> words = new ArrayList<>(keep);
        for (int r = 0; r < keep; r++) {
            if (byRank[r] == null) {
                throw new DataFileException("word index has no word of rank " + (r + 1));
            }
            words.add(byRank[r]);
        }
        return new Vocabulary(preprocessing, words);
    }

    /**
     * The ids of one stored review in this project's layout, unpadded: the start id, then each rank's word id,
     * ranks beyond the vocabulary mapped to the OOV id.
     */
    public static int[] encode(int[] ranks, Preprocessing preprocessing) {
        int[] out = new int[ranks.length + 1];
        out[0] = preprocessing.startId();
        for (int i = 0; i < ranks.length; i++) {
            int id = preprocessing.indexFrom() + ranks[i] - 1;
            out[i + 1] = ranks[i] >= 1 && id < preprocessing.numWords() ? id : preprocessing.oovId();
        }
        return out;
    }

    private static int[][] intLists(ZipFile zip, Path npz, String name) throws IOException {
        try (InputStream in = entry(zip, npz, name)) {
            return Npy.readIntLists(in);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(npz + ": cannot read " + name + ".npy: " + e.getMessage(), e);
        }
    }

    private static int[] ints(ZipFile zip, Path npz, String name) throws IOException {
        try (InputStream in = entry(zip, npz, name)) {
            return Npy.readInts(in);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(npz + ": cannot read " + name + ".npy: " + e.getMessage(), e);
        }
    }

    private static InputStream entry(ZipFile zip, Path npz, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name + ".npy");
        if (entry == null) {
            throw new DataFileException(npz + " has no array '" + name + "' (entries: "
                    + zip.stream().map(ZipEntry::getName).toList() + ")");
        }
        return zip.getInputStream(entry);
    }

    private static void check(Path npz, String split, int[][] x, int[] y) throws DataFileException {
        if (x.length != y.length) {
            throw new DataFileException(npz + ": x_" + split + " has " + x.length + " reviews but y_" + split + " has "
                    + y.length + " labels");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new DataFileException(npz + ": y_" + split + "[" + i + "] is " + y[i] + ", labels are 0 or 1");
            }
        }
        if (Arrays.stream(x).anyMatch(r -> r == null)) {
            throw new DataFileException(npz + ": x_" + split + " has a missing review");
        }
    }
}
