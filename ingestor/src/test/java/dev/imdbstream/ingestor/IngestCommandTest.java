package dev.imdbstream.ingestor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.imdbstream.kafka.LocalKafka;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/** The command line of the real application: options, messages and exit codes. */
@QuarkusMainTest
class IngestCommandTest {

    static Path dir;
    static Path archive;
    static Path glove;
    static LocalKafka kafka;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("ingest-command");
        archive = TestData.writeTarGz(dir.resolve("aclImdb_v1.tar.gz"));
        glove = TestData.writeGlove(dir.resolve("glove.6B.3d.txt"));
        kafka = LocalKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void tearDown() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String[] args(String... extra) {
        return argsWithGloveDim(3, extra);
    }

    private static String[] argsWithGloveDim(int gloveDim, String... extra) {
        String[] base = {"--source", archive.toString(), "--glove", glove.toString(), "--glove-dim",
                String.valueOf(gloveDim), "--num-words", "9", "--max-len", "4", "--cache-dir",
                dir.resolve("cache").toString()};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void shouldPublishAndPrintTheSummary(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(args("-b", kafka.bootstrapServers(), "--unsup"));

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput())
                .contains("published", "train       6 reviews (pos 3, neg 3)", "unsup       1 reviews",
                        "vocabulary  6 words", "glove.6B.3d: 3 of 6 vocabulary words covered (50.0%)",
                        "imdb.vocab last");
    }

    @Test
    void shouldPrepareWithoutABrokerInADryRun(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(args("--dry-run", "-b", "127.0.0.1:1"));

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("prepared (dry run: nothing published)", "OOV tokens");
    }

    @Test
    void shouldTrainWord2VecVectorsOnRequestAndReportTheirCoverage(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(args("--dry-run", "--word2vec"));

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        // Default settings: bad and great occur 5 times in train + unsup (minWordFrequency 5), movie 3 times.
        assertThat(result.getOutput()).contains("training word2vec word2vec-imdb-100d on 7 reviews (6 train + 1 unsup)",
                "word2vec epoch 5 / 5 done", "word2vec-imdb-100d: 2 of 6 vocabulary words covered (33.3%)",
                "glove.6B.3d: 3 of 6");
    }

    @Test
    void shouldRefuseWord2VecOnAnNpzSource(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--source", TestData.kerasFixture("imdb.npz").toString(), "--no-glove",
                "--word2vec", "--dry-run");

        assertThat(result.exitCode()).isEqualTo(IngestCommand.EXIT_BAD_DATA);
        assertThat(result.getErrorOutput()).contains("--word2vec", "needs aclImdb");
    }

    @Test
    void shouldSayWhatToDownloadWhenTheArchiveIsMissing(QuarkusMainLauncher launcher) {
        Path missing = dir.resolve("data/aclImdb_v1.tar.gz");
        LaunchResult result = launcher.launch("--source", missing.toString(), "--no-glove", "--dry-run");

        assertThat(result.exitCode()).isEqualTo(IngestCommand.EXIT_BAD_DATA);
        assertThat(result.getErrorOutput()).contains("aclImdb_v1.tar.gz not found at " + missing,
                "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", "--download");
    }

    @Test
    void shouldNameACorruptArchive(QuarkusMainLauncher launcher) throws IOException {
        Path corrupt = Files.writeString(dir.resolve("corrupt.tar.gz"), "not an archive at all");
        LaunchResult result = launcher.launch("--source", corrupt.toString(), "--no-glove", "--dry-run");

        assertThat(result.exitCode()).isEqualTo(IngestCommand.EXIT_BAD_DATA);
        assertThat(result.getErrorOutput()).contains("corrupt.tar.gz");
    }

    @Test
    void shouldRejectGloveOfTheWrongDimension(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(argsWithGloveDim(100, "--dry-run"));

        assertThat(result.exitCode()).isEqualTo(IngestCommand.EXIT_BAD_DATA);
        assertThat(result.getErrorOutput()).contains("glove.6B.3d.txt has 3-dimensional vectors, expected 100");
    }

    @Test
    void shouldExitWithTheKafkaCodeWhenTheBrokerIsUnreachable(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(args("-b", "127.0.0.1:1", "--timeout", "3s"));

        assertThat(result.exitCode()).isEqualTo(IngestCommand.EXIT_KAFKA);
        assertThat(result.getErrorOutput()).contains("cannot reach Kafka at 127.0.0.1:1 within 3 s");
    }

    @Test
    void shouldRejectAnInvalidPaddingSetting(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch(args("--padding", "middle", "--dry-run"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("padding must be 'pre' or 'post', was middle");
    }
}
