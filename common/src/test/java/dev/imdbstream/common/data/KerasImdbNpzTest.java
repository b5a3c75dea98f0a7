package dev.imdbstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Vocabulary;

/** Reads the numpy-made fixture of {@code src/test/resources/keras-imdb} (see its make_fixture.py). */
class KerasImdbNpzTest {

    @TempDir
    Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(KerasImdbNpzTest.class.getResource("/keras-imdb/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"imdb.npz", "imdb-protocol2.npz"})
    void shouldReadTheObjectArraysOfListsAndTheLabels(String file) throws IOException {
        KerasImdbNpz.Data data = KerasImdbNpz.readNpz(fixture(file));

        assertThat(data.xTrain()).isDeepEqualTo(new int[][] {{8, 10, 1, 2}, {1, 2, 4, 11}, {3, 5, 2, 7, 8, 10, 9},
                {1, 12, 4, 6, 300}, {9, 4, 5}, {70000, 11}});
        assertThat(data.yTrain()).containsExactly(1, 0, 1, 0, 1, 0);
        assertThat(data.xTest()).isDeepEqualTo(new int[][] {{1, 2, 4, 5}, {6, 12}, {8, 10, 9, 7, 1, 12}, {}});
        assertThat(data.yTest()).containsExactly(1, 0, 1, 0);
    }

    @Test
    void shouldReadTheWordIndex() throws IOException {
        Map<String, Integer> index = KerasImdbNpz.readWordIndex(fixture("imdb_word_index.json"));
        assertThat(index).hasSize(12).containsEntry("the", 1).containsEntry("plot", 12);
    }

    @Test
    void shouldMapRanksToTheProjectsIdsWithStartAndOov() throws IOException {
        Preprocessing p = new Preprocessing(KerasImdbNpz.TOKENIZER, 10, 6, "pre", "pre", 0, 1, 2, 3);
        Vocabulary v = KerasImdbNpz.vocabulary(KerasImdbNpz.readWordIndex(fixture("imdb_word_index.json")), p);

        // Room for 7 words (ids 3..9): ranks 1..7.
        assertThat(v.words()).containsExactly("the", "movie", "a", "was", "great", "bad", "and");
        assertThat(v.id("the")).isEqualTo(3);
        // "i loved the movie" is stored as ranks 8, 10, 1, 2: "i" and "loved" are ranked beyond numWords.
        int[] ids = KerasImdbNpz.encode(new int[] {8, 10, 1, 2}, p);
        assertThat(ids).containsExactly(1, 2, 2, 3, 4);
        assertThat(v.pad(ids)).containsExactly(0, 1, 2, 2, 3, 4);
        for (int rank = 1; rank <= 7; rank++) {
            int id = KerasImdbNpz.encode(new int[] {rank}, p)[1];
            assertThat(v.word(id)).as("rank %d", rank).isEqualTo(v.words().get(rank - 1));
        }
        assertThat(KerasImdbNpz.encode(new int[] {70000}, p)).containsExactly(1, 2);
    }

    @Test
    void shouldRejectAWordIndexWithAGap() {
        Preprocessing p = new Preprocessing(KerasImdbNpz.TOKENIZER, 10, 6, "pre", "pre", 0, 1, 2, 3);
        assertThatThrownBy(() -> KerasImdbNpz.vocabulary(Map.of("the", 1, "movie", 3), p))
                .isInstanceOf(DataFileException.class).hasMessageContaining("no word of rank 2");
    }

    @Test
    void shouldNameAMissingArrayAndAFileThatIsNoNpz() throws IOException {
        Path partial = tmp.resolve("partial.npz");
        try (ZipFile source = new ZipFile(fixture("imdb.npz").toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
            for (String name : new String[] {"x_train.npy", "y_train.npy", "y_test.npy"}) {
                out.putNextEntry(new ZipEntry(name));
                source.getInputStream(source.getEntry(name)).transferTo(out);
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> KerasImdbNpz.readNpz(partial))
                .isInstanceOf(DataFileException.class).hasMessageContaining("partial.npz has no array 'x_test'");

        Path text = Files.writeString(tmp.resolve("imdb.npz"), "not a zip");
        assertThatThrownBy(() -> KerasImdbNpz.readNpz(text))
                .isInstanceOf(DataFileException.class).hasMessageContaining("imdb.npz");
        assertThatThrownBy(() -> KerasImdbNpz.readNpz(tmp.resolve("missing.npz")))
                .isInstanceOf(DataFileException.class).hasMessageContaining("does not exist");
    }
}
