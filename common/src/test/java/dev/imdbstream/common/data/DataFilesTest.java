package dev.imdbstream.common.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** Downloads through a real HTTP server on 127.0.0.1 (the JDK's), never the internet. */
class DataFilesTest {

    private static final byte[] CONTENT = "the archive's bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private String contentSha256;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/data/", exchange -> {
            requests.incrementAndGet();
            boolean found = exchange.getRequestURI().getPath().endsWith("/file.bin");
            exchange.sendResponseHeaders(found ? 200 : 404, found ? CONTENT.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (found) {
                    out.write(CONTENT);
                }
            }
        });
        server.start();
        contentSha256 = Checksums.sha256Hex(Files.write(tmp.resolve("reference"), CONTENT));
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private DataFiles.Known known(String path, String hash) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/" + path);
        return new DataFiles.Known("file.bin", url, hash, List.of(), "a test file");
    }

    @Test
    void shouldDownloadIntoTheCacheVerifyAndReuse() throws IOException {
        Path cache = tmp.resolve("cache");
        DataFiles.Known file = known("file.bin", contentSha256);

        Path first = DataFiles.download(file, cache, Duration.ofSeconds(5), n -> { });
        Path second = DataFiles.download(file, cache, Duration.ofSeconds(5), n -> { });

        assertThat(first).isEqualTo(cache.resolve("file.bin")).hasBinaryContent(CONTENT);
        assertThat(second).isEqualTo(first);
        assertThat(requests).as("the verified cached copy is reused").hasValue(1);
    }

    @Test
    void shouldKeepNothingWhenTheChecksumDiffers() {
        Path cache = tmp.resolve("cache");
        DataFiles.Known file = known("file.bin", "0".repeat(64));

        assertThatThrownBy(() -> DataFiles.download(file, cache, Duration.ofSeconds(5), n -> { }))
                .isInstanceOf(DataFileException.class).hasMessageContaining("checksum is " + contentSha256);
        assertThat(cache.resolve("file.bin")).doesNotExist();
        assertThat(cache.resolve("file.bin.part")).doesNotExist();
    }

    @Test
    void shouldReportHttpErrors() {
        DataFiles.Known file = known("other.bin", contentSha256);
        assertThatThrownBy(() -> DataFiles.download(file, tmp.resolve("cache"), Duration.ofSeconds(5), n -> { }))
                .isInstanceOf(DataFileException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void shouldAcceptMd5WhenThatIsWhatThePublisherGives() throws IOException {
        Path f = Files.writeString(tmp.resolve("x"), "abc");
        assertThat(Checksums.matches(f, "900150983cd24fb0d6963f7d28e17f72")).isTrue();
        assertThat(Checksums.matches(f, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")).isTrue();
    }

    @Test
    void shouldSayWhatToDownloadFromWhereAndWhereToPutIt() {
        String message = DataFiles.missingMessage(DataFiles.ACL_IMDB, Path.of("/data/aclImdb_v1.tar.gz"),
                Path.of("/cache"));
        assertThat(message).contains("aclImdb_v1.tar.gz not found at /data/aclImdb_v1.tar.gz",
                "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz", "--download", "/cache");
    }

    @Test
    void shouldAcceptTheSharedCopyOfTheArchive() {
        assertThat(DataFiles.ACL_IMDB.accepts("abb86e6233301a95b247eb8754fa98a7bf884d06d7fd0c916d1009846b1907f5")).isTrue();
        assertThat(DataFiles.ACL_IMDB.accepts("c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe")).isTrue();
        assertThat(DataFiles.ACL_IMDB.accepts("0".repeat(64))).isFalse();
    }
}
