package dev.imdbstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclImdbReaderTest {

    @TempDir
    Path tmp;

    private static List<RawReview> readAll(AclImdbReader reader, EnumSet<ImdbSplit> splits) throws IOException {
        List<RawReview> out = new ArrayList<>();
        reader.read(splits, out::add);
        return out;
    }

    @Test
    void shouldStreamReviewsOfTheArchiveWithLabelRatingAndId() throws IOException {
        Path archive = AclImdbFixture.writeTarGz(tmp.resolve("aclImdb_v1.tar.gz"));
        AclImdbReader reader = AclImdbReader.of(archive);
        List<RawReview> reviews = new ArrayList<>();

        AclImdbReader.Result result = reader.read(EnumSet.allOf(ImdbSplit.class), reviews::add);

        assertThat(reader.isArchive()).isTrue();
        assertThat(reviews).containsExactlyInAnyOrder(
                new RawReview(ImdbSplit.TEST, 0, 1, 4, "Awful. Just awful."),
                new RawReview(ImdbSplit.TEST, 1, 10, 3, "A masterpiece!<br /><br />See it."),
                new RawReview(ImdbSplit.TRAIN, 0, 2, 0, "Boring plot, bad acting."),
                new RawReview(ImdbSplit.TRAIN, 1, 9, 0, "Great movie, I loved it."),
                new RawReview(ImdbSplit.TRAIN, 1, 7, 1, "Caf\u00e9 scenes were charming."),
                new RawReview(ImdbSplit.UNSUP, -1, 0, 5, "No label here."));
        assertThat(reviews.get(0).id()).isEqualTo("test/neg/4");
        assertThat(result.count(ImdbSplit.TRAIN)).isEqualTo(3);
        assertThat(result.count(ImdbSplit.TEST)).isEqualTo(2);
        assertThat(result.count(ImdbSplit.UNSUP)).isEqualTo(1);
        assertThat(result.sha256()).isEqualTo(Checksums.sha256Hex(archive));
    }

    @Test
    void shouldSkipSplitsNotAskedFor() throws IOException {
        Path archive = AclImdbFixture.writeTarGz(tmp.resolve("a.tar.gz"));
        List<RawReview> reviews = readAll(AclImdbReader.of(archive), EnumSet.of(ImdbSplit.TRAIN, ImdbSplit.TEST));
        assertThat(reviews).hasSize(5).noneMatch(r -> r.split() == ImdbSplit.UNSUP);
    }

    @Test
    void shouldReadTheExtractedFolderOrTheFolderAboveIt() throws IOException {
        Path archive = AclImdbFixture.writeTarGz(tmp.resolve("a.tar.gz"));
        List<RawReview> fromArchive = readAll(AclImdbReader.of(archive), EnumSet.allOf(ImdbSplit.class));
        Path root = AclImdbFixture.writeFolder(tmp.resolve("extracted"));

        AclImdbReader folder = AclImdbReader.of(root);
        assertThat(folder.isArchive()).isFalse();
        assertThat(readAll(folder, EnumSet.allOf(ImdbSplit.class))).containsExactlyInAnyOrderElementsOf(fromArchive);
        assertThat(readAll(AclImdbReader.of(tmp.resolve("extracted")), EnumSet.allOf(ImdbSplit.class)))
                .containsExactlyInAnyOrderElementsOf(fromArchive);
    }

    @Test
    void shouldNameAMissingSource() {
        assertThatThrownBy(() -> AclImdbReader.of(tmp.resolve("nope.tar.gz")))
                .isInstanceOf(DataFileException.class).hasMessageContaining("nope.tar.gz does not exist");
    }

    @Test
    void shouldRejectAFileThatIsNoArchive() throws IOException {
        Path text = Files.writeString(tmp.resolve("aclImdb_v1.tar.gz"), "<html>Not Found</html>");
        assertThatThrownBy(() -> readAll(AclImdbReader.of(text), EnumSet.allOf(ImdbSplit.class)))
                .isInstanceOf(DataFileException.class).hasMessageContaining(text.toString());
    }

    @Test
    void shouldReportATruncatedArchive() throws IOException {
        Path archive = AclImdbFixture.writeTarGz(tmp.resolve("full.tar.gz"));
        byte[] bytes = Files.readAllBytes(archive);
        Path truncated = Files.write(tmp.resolve("truncated.tar.gz"), Arrays.copyOf(bytes, bytes.length * 2 / 3));

        assertThatThrownBy(() -> readAll(AclImdbReader.of(truncated), EnumSet.allOf(ImdbSplit.class)))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("truncated.tar.gz")
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldReportACorruptArchive() throws IOException {
        Path archive = AclImdbFixture.writeTarGz(tmp.resolve("full.tar.gz"));
        byte[] bytes = Files.readAllBytes(archive);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 16; i++) {
            bytes[i] ^= 0x5a;
        }
        Path corrupt = Files.write(tmp.resolve("corrupt.tar.gz"), bytes);

        assertThatThrownBy(() -> readAll(AclImdbReader.of(corrupt), EnumSet.allOf(ImdbSplit.class)))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("corrupt.tar.gz")
                .hasMessageContaining("corrupt");
    }

    @Test
    void shouldNameAnUnreadableReviewFile() throws IOException {
        Path root = AclImdbFixture.writeFolder(tmp.resolve("extracted"));
        // A folder where a review file should be cannot be read as one (permissions do not stop root).
        Files.createDirectories(root.resolve("train/pos/7_8.txt"));

        assertThatThrownBy(() -> readAll(AclImdbReader.of(root), EnumSet.allOf(ImdbSplit.class)))
                .isInstanceOf(DataFileException.class)
                .hasMessageContaining("train/pos/7_8.txt");
    }

    @Test
    void shouldReadTheRealArchiveWithTheExpectedCounts() throws IOException {
        Path archive = RealData.file("aclImdb_v1.tar.gz");
        Map<String, Integer> byLabel = new HashMap<>();
        int[] ratingRange = {Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE};

        AclImdbReader.Result result = AclImdbReader.of(archive).read(EnumSet.allOf(ImdbSplit.class), r -> {
            byLabel.merge(r.split().wireName() + "/" + r.label(), 1, Integer::sum);
            if (r.label() >= 0) {
                ratingRange[2 * r.label()] = Math.min(ratingRange[2 * r.label()], r.rating());
                ratingRange[2 * r.label() + 1] = Math.max(ratingRange[2 * r.label() + 1], r.rating());
            }
        });

        assertThat(result.count(ImdbSplit.TRAIN)).isEqualTo(25_000);
        assertThat(result.count(ImdbSplit.TEST)).isEqualTo(25_000);
        assertThat(result.count(ImdbSplit.UNSUP)).isEqualTo(50_000);
        assertThat(byLabel).containsEntry("train/1", 12_500).containsEntry("train/0", 12_500)
                .containsEntry("test/1", 12_500).containsEntry("test/0", 12_500);
        assertThat(ratingRange).as("neg 1-4, pos 7-10").containsExactly(1, 4, 7, 10);
        assertThat(DataFiles.ACL_IMDB.accepts(result.sha256())).isTrue();
    }

    /** The shared real data, or the test is skipped with a message saying why. */
    static final class RealData {
        static Path file(String name) {
            String dir = System.getProperty("imdb.data.dir");
            assumeTrue(dir != null, "system property imdb.data.dir not set: skipping the real-data test");
            Path p = Path.of(dir).resolve(name);
            assumeTrue(Files.isRegularFile(p), p + " not present: skipping the real-data test");
            return p;
        }
    }
}
