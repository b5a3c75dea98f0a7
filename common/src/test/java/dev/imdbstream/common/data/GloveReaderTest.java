package dev.imdbstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;

class GloveReaderTest {

    /** ids: the 3, movie 4, great 5, zzz 6; id 7 is below numWords but has no word. */
    private static final Vocabulary VOCAB = new Vocabulary(
            new Preprocessing(Tokenizer.NAME, 8, 5, "pre", "pre", 0, 1, 2, 3), List.of("the", "movie", "great", "zzz"));

    private static final String GLOVE_3D = """
            movie 0.1 0.2 0.3
            the 1 2 3
            unrelated 9 9 9
            great -1.5 -2 -3e-2
            the 7 7 7
            """;

    @TempDir
    Path tmp;

    @Test
    void shouldPutTheVectorOfTheWordWithIdIInRowI() throws IOException {
        Path txt = Files.writeString(tmp.resolve("glove.6B.3d.txt"), GLOVE_3D);

        AlignedEmbedding e = GloveReader.read(txt, 3, VOCAB, 42);

        assertThat(e.rows()).isEqualTo(8);
        assertThat(e.row(VOCAB.id("the"))).containsExactly(1f, 2f, 3f);
        assertThat(e.row(VOCAB.id("movie"))).containsExactly(0.1f, 0.2f, 0.3f);
        assertThat(e.row(VOCAB.id("great"))).containsExactly(-1.5f, -2f, -0.03f);
        assertThat(e.covered()).isEqualTo(3);
        assertThat(e.total()).isEqualTo(4);
        assertThat(e.coverage()).isEqualTo(0.75);
        assertThat(e.missing()).containsExactly("zzz");
    }

    @Test
    void shouldKeepASeededUniformInitInRowsWithoutAVector() throws IOException {
        Path txt = Files.writeString(tmp.resolve("glove.6B.3d.txt"), GLOVE_3D);

        AlignedEmbedding a = GloveReader.read(txt, 3, VOCAB, 42);
        AlignedEmbedding b = GloveReader.read(txt, 3, VOCAB, 42);
        AlignedEmbedding c = GloveReader.read(txt, 3, VOCAB, 43);

        for (int id : new int[] {0, 1, 2, 6, 7}) {
            for (float v : a.row(id)) {
                assertThat(Math.abs(v)).isLessThanOrEqualTo(0.05f);
            }
            assertThat(a.row(id)).containsExactly(b.row(id));
            assertThat(a.row(id)).isNotEqualTo(c.row(id));
        }
    }

    @Test
    void shouldReadGzipAndPickTheEntryOfTheDimensionFromAZip() throws IOException {
        Path gz = tmp.resolve("glove.6B.3d.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(GLOVE_3D.getBytes(StandardCharsets.UTF_8));
        }
        Path zip = tmp.resolve("glove.6B.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("glove.6B.2d.txt"));
            out.write("the 5 5\nmovie 6 6\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("glove.6B.3d.txt"));
            out.write(GLOVE_3D.getBytes(StandardCharsets.UTF_8));
        }

        AlignedEmbedding fromGz = GloveReader.read(gz, 3, VOCAB, 1);
        AlignedEmbedding fromZip = GloveReader.read(zip, 3, VOCAB, 1);
        AlignedEmbedding twoD = GloveReader.read(zip, 2, VOCAB, 1);

        assertThat(fromGz.matrix()).containsExactly(fromZip.matrix());
        assertThat(fromZip.entry()).isEqualTo("glove.6B.zip!glove.6B.3d.txt");
        assertThat(twoD.row(VOCAB.id("the"))).containsExactly(5f, 5f);
        assertThatThrownBy(() -> GloveReader.read(zip, 4, VOCAB, 1))
                .isInstanceOf(DataFileException.class).hasMessageContaining("no GloVe file of dimension 4");
    }

    @Test
    void shouldRejectAFileOfTheWrongDimension() throws IOException {
        Path txt = Files.writeString(tmp.resolve("glove.6B.3d.txt"), GLOVE_3D);
        assertThatThrownBy(() -> GloveReader.read(txt, 100, VOCAB, 1))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("glove.6B.3d.txt has 3-dimensional vectors, expected 100");
    }

    @Test
    void shouldCheckTheDimensionFromTheFirstLine() throws IOException {
        Path txt = Files.writeString(tmp.resolve("glove.6B.3d.txt"), GLOVE_3D);
        GloveReader.checkDimension(txt, 3);
        assertThatThrownBy(() -> GloveReader.checkDimension(txt, 100))
                .isInstanceOf(DataFileException.class).hasMessageContaining("has 3-dimensional vectors, expected 100");
        assertThatThrownBy(() -> GloveReader.checkDimension(tmp.resolve("none.txt"), 3))
                .isInstanceOf(DataFileException.class).hasMessageContaining("does not exist");
    }

    @Test
    void shouldNameAShortLine() throws IOException {
        Path txt = Files.writeString(tmp.resolve("g.txt"), "the 1 2 3\nmovie 1 2\n");
        assertThatThrownBy(() -> GloveReader.read(txt, 3, VOCAB, 1))
                .isInstanceOf(DataFileException.class).hasMessageContaining("g.txt line 2 has 2 values");
        assertThatThrownBy(() -> GloveReader.read(tmp.resolve("absent.txt"), 3, VOCAB, 1))
                .isInstanceOf(DataFileException.class).hasMessageContaining("absent.txt does not exist");
    }

    @Test
    void shouldRoundTripThroughTheWireRecord() throws IOException {
        Path txt = Files.writeString(tmp.resolve("glove.6B.3d.txt"), GLOVE_3D);
        AlignedEmbedding e = GloveReader.read(txt, 3, VOCAB, 42);

        EmbeddingMatrix record = e.toRecord("ds", "glove.6B.3d");

        assertThat(record.floats()).containsExactly(e.matrix());
        assertThat(EmbeddingMatrix.key("ds", "glove.6B.3d")).isEqualTo("ds/glove.6B.3d");
        assertThat(e.coverage("glove.6B.3d").share()).isEqualTo(0.75);
    }

    @Test
    void shouldMatchGloveSanityValuesOnTheRealFile() throws IOException {
        Path glove = AclImdbReaderTest.RealData.file(DataFiles.GLOVE_100D_IMDB_SUBSET);
        Vocabulary v = new Vocabulary(new Preprocessing(Tokenizer.NAME, 10, 150, "pre", "pre", 0, 1, 2, 3),
                List.of("the", "and", "a"));

        AlignedEmbedding e = GloveReader.read(glove, 100, v, 7);

        float[] the = e.row(3);
        assertThat(the[0]).isCloseTo(-0.038194f, within(1e-6f));
        assertThat(the[1]).isCloseTo(-0.24487f, within(1e-6f));
        assertThat(the[2]).isCloseTo(0.72812f, within(1e-6f));
        assertThat(e.missing()).as("the shared copy lacks single letters").containsExactly("a");
        assertThatThrownBy(() -> GloveReader.read(glove, 50, v, 7))
                .isInstanceOf(DataFileException.class).hasMessageContaining("has 100-dimensional vectors, expected 50");
    }
}
