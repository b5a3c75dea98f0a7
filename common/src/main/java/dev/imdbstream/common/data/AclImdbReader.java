package dev.imdbstream.common.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the Large Movie Review Dataset v1.0 in its original layout
 * ({@code aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt}, {@code aclImdb/train/unsup/<id>_0.txt}) from
 * the original {@code aclImdb_v1.tar.gz} as a stream (nothing is extracted) or from its extracted folder.
 * Reviews are handed to a consumer one at a time, in the source's order, so memory stays flat whatever the
 * data set's size. Other files of the archive ({@code imdb.vocab}, {@code *.feat}, {@code urls_*.txt}) are
 * skipped.
 */
public final class AclImdbReader {

    private static final Pattern REVIEW = Pattern.compile("(?:^|/)(train|test)/(pos|neg|unsup)/(\\d+)_(\\d+)\\.txt$");
    private static final int GZIP_MAGIC = 0x8b1f;

    private final Path path;
    private final boolean archive;

    private AclImdbReader(Path path, boolean archive) {
        this.path = path;
        this.archive = archive;
    }

    /**
     * @param path the {@code .tar.gz} (or plain {@code .tar}) archive, the extracted {@code aclImdb} folder, or
     *             a folder that contains {@code aclImdb}
     * @throws DataFileException when nothing readable is there
     */
    public static AclImdbReader of(Path path) throws DataFileException {
        if (Files.isRegularFile(path)) {
            if (!Files.isReadable(path)) {
                throw new DataFileException("cannot read " + path + ": permission denied");
            }
            return new AclImdbReader(path, true);
        }
        if (Files.isDirectory(path)) {
            Path root = Files.isDirectory(path.resolve("aclImdb")) ? path.resolve("aclImdb") : path;
            if (!Files.isDirectory(root.resolve("train")) && !Files.isDirectory(root.resolve("test"))) {
                throw new DataFileException(path + " is a folder without aclImdb's train/ and test/ folders");
            }
            return new AclImdbReader(root, false);
        }
        throw new DataFileException("IMDB reviews not found: " + path + " does not exist");
    }

    public Path path() {
        return path;
    }

    public boolean isArchive() {
        return archive;
    }

    /**
     * Streams every review of the given splits to {@code sink}.
     *
     * @return counts per split, and the archive's sha256 (read in the same pass; null for a folder)
     * @throws DataFileException for a corrupt or truncated archive or an unreadable review file, naming it
     */
    public Result read(Set<ImdbSplit> splits, Consumer<RawReview> sink) throws IOException {
        return archive ? readArchive(splits, sink) : readFolder(splits, sink);
    }

    /** @param sha256 hex sha256 of the archive file; null when read from a folder */
    public record Result(Map<ImdbSplit, Integer> counts, String sha256) {
        public int count(ImdbSplit split) {
            return counts.getOrDefault(split, 0);
        }
    }

    private Result readArchive(Set<ImdbSplit> splits, Consumer<RawReview> sink) throws IOException {
        Map<ImdbSplit, Integer> counts = new EnumMap<>(ImdbSplit.class);
        MessageDigest sha256 = sha256();
        String entryName = null;
        // The digest sits below the buffer, so the peek at the magic bytes (mark/reset) is not hashed twice.
        try (InputStream file = Files.newInputStream(path);
                InputStream raw = new BufferedInputStream(new DigestInputStream(file, sha256), 1 << 20)) {
            raw.mark(2);
            int magic = raw.read() | (raw.read() << 8);
            raw.reset();
            InputStream tarBytes = magic == GZIP_MAGIC ? new GZIPInputStream(raw, 1 << 16) : raw;
            TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
            int entries = 0;
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar, entryName)) != null) {
                entries++;
                entryName = entry.getName();
                if (!entry.isFile()) {
                    continue;
                }
                Matcher m = REVIEW.matcher(entryName);
                if (!m.find()) {
                    continue;
                }
                ImdbSplit split = split(m.group(1), m.group(2));
                if (split == null || !splits.contains(split)) {
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = tar.readAllBytes();
                } catch (IOException e) {
                    throw corrupt("cannot read entry " + entryName, e);
                }
                if (bytes.length != entry.getSize()) {
                    throw new DataFileException(path + " is truncated: entry " + entryName + " has " + bytes.length
                            + " of its " + entry.getSize() + " bytes");
                }
                sink.accept(review(split, m, bytes));
                counts.merge(split, 1, Integer::sum);
            }
            if (entries == 0) {
                throw new DataFileException(path + " is not a tar or tar.gz archive (no entries)");
            }
            // The gzip trailer (CRC and length) is only checked when the stream is read to its end; the tar
            // reader stops at the end-of-archive blocks before it.
            try {
                tarBytes.transferTo(OutputStream.nullOutputStream());
                raw.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw corrupt("the gzip stream after the last entry " + entryName + " is damaged", e);
            }
        }
        if (counts.isEmpty()) {
            throw new DataFileException(path + " holds no aclImdb reviews (no entries like aclImdb/train/pos/<id>_<rating>.txt)");
        }
        return new Result(counts, HexFormat.of().formatHex(sha256.digest()));
    }

    private TarArchiveEntry nextEntry(TarArchiveInputStream tar, String previous) throws DataFileException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            String where = previous == null ? "at its start" : "after entry " + previous;
            throw corrupt("cannot read the next entry " + where, e);
        }
    }

    private DataFileException corrupt(String what, Throwable cause) {
        String reason = cause instanceof EOFException ? "unexpected end of file" : String.valueOf(cause.getMessage());
        if (cause.getMessage() != null && cause.getMessage().contains("Not in GZIP format")) {
            return new DataFileException(path + " is not a gzip archive", cause);
        }
        return new DataFileException(path + " is corrupt or truncated: " + what + " (" + reason + ")", cause);
    }

    private Result readFolder(Set<ImdbSplit> splits, Consumer<RawReview> sink) throws IOException {
        Map<ImdbSplit, Integer> counts = new EnumMap<>(ImdbSplit.class);
        for (String splitDir : List.of("test", "train")) {
            for (String labelDir : List.of("neg", "pos", "unsup")) {
                ImdbSplit split = split(splitDir, labelDir);
                Path dir = path.resolve(splitDir).resolve(labelDir);
                if (split == null || !splits.contains(split) || !Files.isDirectory(dir)) {
                    continue;
                }
                for (Path file : list(dir)) {
                    Matcher m = REVIEW.matcher(splitDir + "/" + labelDir + "/" + file.getFileName());
                    if (!m.find()) {
                        continue;
                    }
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(file);
                    } catch (IOException e) {
                        throw new DataFileException("cannot read review file " + file + ": " + e, e);
                    }
                    sink.accept(review(split, m, bytes));
                    counts.merge(split, 1, Integer::sum);
                }
            }
        }
        if (counts.isEmpty()) {
            throw new DataFileException(path + " holds no aclImdb reviews (no files like train/pos/<id>_<rating>.txt)");
        }
        return new Result(counts, null);
    }

    private static List<Path> list(Path dir) throws DataFileException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = new ArrayList<>(files.toList());
            sorted.sort(null);
            return sorted;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new DataFileException("cannot list " + dir + ": " + e, e);
        }
    }

    private static ImdbSplit split(String splitDir, String labelDir) {
        if (labelDir.equals("unsup")) {
            return splitDir.equals("train") ? ImdbSplit.UNSUP : null;
        }
        return splitDir.equals("train") ? ImdbSplit.TRAIN : ImdbSplit.TEST;
    }

    private static RawReview review(ImdbSplit split, Matcher m, byte[] bytes) {
        int label = switch (m.group(2)) {
            case "pos" -> 1;
            case "neg" -> 0;
            default -> RawReview.UNLABELLED;
        };
        return new RawReview(split, label, Integer.parseInt(m.group(4)), Integer.parseInt(m.group(3)),
                new String(bytes, StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        return Checksums.sha256();
    }
}
