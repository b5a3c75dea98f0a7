package dev.imdbstream.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The public data files the project reads, where their publishers serve them and their checksums; finds
 * them on disk and downloads them on request into a cache folder, verifying the checksum (as Keras'
 * {@code get_file} does).
 */
public final class DataFiles {

    /**
     * A known data file.
     *
     * @param hash     sha256 (or md5 when only that is published) of the publisher's file; null when unknown
     * @param accepted further hashes of copies known to be equivalent (e.g. the workplace's copy of aclImdb
     *                 without the {@code *.feat} files)
     */
    public record Known(String fileName, URI url, String hash, List<String> accepted, String description) {

        public Known {
            accepted = List.copyOf(accepted);
        }

        /** True when {@code hex} is the publisher's hash or one of the accepted copies' hashes. */
        public boolean accepts(String hex) {
            String h = hex.toLowerCase(Locale.ROOT);
            return h.equals(hash) || accepted.contains(h);
        }
    }

    public static final Known ACL_IMDB = new Known("aclImdb_v1.tar.gz",
            URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"),
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            // The copy without the bag-of-words *.feat files (../shared/data): same reviews.
            List.of("abb86e6233301a95b247eb8754fa98a7bf884d06d7fd0c916d1009846b1907f5"),
            "Large Movie Review Dataset v1.0 (Stanford AI Lab, about 84 MB)");

    public static final Known GLOVE_6B = new Known("glove.6B.zip", URI.create("https://nlp.stanford.edu/data/glove.6B.zip"),
            "617afb2fe6cbd085c235baf7a465b96f4112bd7f7ccb2b2cbd649fed9cbcf2fb", List.of(),
            "GloVe 6B vectors, 50/100/200/300 dimensions (Stanford NLP, about 822 MB)");

    public static final Known KERAS_IMDB_NPZ = new Known("imdb.npz",
            URI.create("https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz"),
            "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f", List.of(),
            "Keras' preprocessed IMDB reviews (about 17 MB)");

    public static final Known KERAS_IMDB_WORD_INDEX = new Known("imdb_word_index.json",
            URI.create("https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json"),
            "bfafd718b763782e994055a2d397834f", List.of(), "Keras' IMDB word index (about 1.6 MB)");

    /** GloVe 6B 100d restricted to aclImdb's vocabulary (the workplace's copy; not downloadable). */
    public static final String GLOVE_100D_IMDB_SUBSET = "glove.6B.100d.imdb-vocab.txt.gz";

    private DataFiles() {
    }

    /** The first of the folders that holds the file. */
    public static Optional<Path> find(Known file, List<Path> folders) {
        return find(file.fileName(), folders);
    }

    public static Optional<Path> find(String fileName, List<Path> folders) {
        return folders.stream().map(d -> d.resolve(fileName)).filter(Files::isRegularFile).findFirst();
    }

    /** GloVe files of a dimension, most specific first: the plain text, its gzip, the IMDB subset, the zip. */
    public static List<String> gloveCandidates(int dim) {
        String txt = "glove.6B." + dim + "d.txt";
        return List.of(txt, txt + ".gz", "glove.6B." + dim + "d.imdb-vocab.txt.gz", GLOVE_6B.fileName());
    }

    /** What to do when a file is missing: where to download it from and where to put it. */
    public static String missingMessage(Known file, Path expected, Path cacheDir) {
        return file.fileName() + " not found at " + expected + ". It is the " + file.description()
                + ": download it from " + file.url() + " and put it at " + expected
                + ", or run with --download to fetch it into " + cacheDir + " (its checksum is verified).";
    }

    /**
     * Returns the file in {@code cacheDir}, downloading it first when it is not there or fails its checksum.
     *
     * @param progress receives the bytes downloaded so far (may be called often)
     * @throws DataFileException when the download fails or its checksum does not match (nothing is left behind)
     */
    public static Path download(Known file, Path cacheDir, Duration connectTimeout, LongConsumer progress)
            throws DataFileException {
        Path target = cacheDir.resolve(file.fileName());
        try {
            if (Files.isRegularFile(target) && verified(file, target)) {
                return target;
            }
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new DataFileException("cannot use cache folder " + cacheDir + ": " + e, e);
        }
        Path partial = cacheDir.resolve(file.fileName() + ".part");
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(file.url()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new DataFileException("cannot download " + file.url() + ": HTTP " + response.statusCode());
            }
            try (InputStream in = response.body(); var out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    total += n;
                    progress.accept(total);
                }
            }
            if (!verified(file, partial)) {
                String actual = Checksums.hex(partial, Checksums.algorithmOf(file.hash()));
                throw new DataFileException("downloaded " + file.url() + " but its checksum is " + actual + ", expected "
                        + file.hash() + " (corrupt or changed download; nothing was kept)");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (DataFileException e) {
            deleteQuietly(partial);
            throw e;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new DataFileException("cannot download " + file.url() + ": " + e, e);
        } catch (InterruptedException e) {
            deleteQuietly(partial);
            Thread.currentThread().interrupt();
            throw new DataFileException("download of " + file.url() + " interrupted", e);
        }
    }

    /** True when the file's checksum is one this entry accepts (or no checksum is known). */
    public static boolean verified(Known known, Path file) throws IOException {
        if (known.hash() == null) {
            return true;
        }
        String actual = Checksums.hex(file, Checksums.algorithmOf(known.hash()));
        return known.accepts(actual);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a stale .part file is overwritten by the next download
        }
    }
}
