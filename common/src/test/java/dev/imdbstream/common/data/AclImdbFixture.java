package dev.imdbstream.common.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A miniature aclImdb in the original layout, as tar.gz or as an extracted folder, and the writers of such
 * fixtures that other modules' tests use with their own reviews.
 */
public final class AclImdbFixture {

    static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("aclImdb/README", "Large Movie Review Dataset v1.0");
        FILES.put("aclImdb/imdb.vocab", "the\nand\n");
        FILES.put("aclImdb/test/neg/4_1.txt", "Awful. Just awful.");
        FILES.put("aclImdb/test/pos/3_10.txt", "A masterpiece!<br /><br />See it.");
        FILES.put("aclImdb/train/labeledBow.feat", "0 0:1\n");
        FILES.put("aclImdb/train/neg/0_2.txt", "Boring plot, bad acting.");
        FILES.put("aclImdb/train/pos/0_9.txt", "Great movie, I loved it.");
        FILES.put("aclImdb/train/pos/1_7.txt", "Caf\u00e9 scenes were charming.");
        FILES.put("aclImdb/train/unsup/5_0.txt", "No label here.");
        FILES.put("aclImdb/train/urls_pos.txt", "http://www.imdb.com/title/tt0453418/usercomments\n");
    }

    private AclImdbFixture() {
    }

    static Path writeTarGz(Path file) throws IOException {
        return writeTarGz(file, FILES, "aclImdb/");
    }

    static Path writeFolder(Path parent) throws IOException {
        writeFolder(parent, FILES);
        return parent.resolve("aclImdb");
    }

    /**
     * Writes {@code files} (path in the archive, UTF-8 content) as a tar.gz, after an entry for each of
     * {@code directories}; returns {@code file}.
     */
    public static Path writeTarGz(Path file, Map<String, String> files, String... directories) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (String directory : directories) {
                tar.putArchiveEntry(new TarArchiveEntry(directory));
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> e : files.entrySet()) {
                byte[] bytes = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    /** Writes {@code files} as the extracted archive below {@code parent}; returns {@code parent}. */
    public static Path writeFolder(Path parent, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = parent.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
        return parent;
    }
}
