package dev.imdbstream.common.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import dev.imdbstream.common.text.Vocabulary;

/**
 * Builds an embedding matrix aligned with a {@link Vocabulary} from pretrained vectors in the GloVe text
 * format ({@code word v1 ... vD}, one word a line, no header), read from a {@code .txt}, a {@code .txt.gz},
 * Stanford's {@code glove.6B.zip} (the entry of the requested dimension) or a folder holding one of these.
 * Row {@code i} is the vector of the word whose id is {@code i}; rows of ids without a vector keep the seeded
 * initialisation of {@link AlignedEmbedding}. Only vectors of vocabulary words are parsed, so a 400k-word file streams through in one pass.
 */
public final class GloveReader {

    private static final Pattern GLOVE_ZIP_ENTRY = Pattern.compile("(?:^|.*/)glove\\..*?(\\d+)d\\.txt");

    private GloveReader() {
    }

    /**
     * The vectors of the vocabulary's words, aligned with its ids.
     *
     * @param dim      the expected dimension; a file of another dimension is an error
     * @param initSeed seeds the random rows
     * @throws DataFileException for a missing file, a file (or zip entry) of the wrong dimension, or a malformed line
     */
    public static AlignedEmbedding read(Path path, int dim, Vocabulary vocabulary, long initSeed) throws DataFileException {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be positive: " + dim);
        }
        Path file = resolve(path, dim);
        AlignedEmbedding.Builder matrix = AlignedEmbedding.builder(vocabulary, dim, initSeed);
        float[] vector = new float[dim];
        String name = file.getFileName().toString();
        try (Source source = open(file, dim)) {
            name = source.name();
            BufferedReader reader = new BufferedReader(new InputStreamReader(source.stream(), StandardCharsets.UTF_8), 1 << 16);
            String line;
            long lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                int fields = countFields(line);
                if (lineNo == 1) {
                    if (fields == 2 && isWord2VecHeader(line)) {
                        int headerDim = Integer.parseInt(line.substring(line.indexOf(' ') + 1).strip());
                        if (headerDim != dim) {
                            throw wrongDimension(name, headerDim, dim);
                        }
                        continue;
                    }
                    if (fields - 1 != dim) {
                        throw wrongDimension(name, fields - 1, dim);
                    }
                }
                if (fields - 1 < dim) {
                    throw new DataFileException(name + " line " + lineNo + " has " + (fields - 1) + " values, expected "
                            + dim + " (a truncated or mixed file?)");
                }
                // A word may hold spaces (GloVe 840B): it is whatever precedes the last `dim` values.
                int wordEnd = fields - 1 == dim ? line.indexOf(' ') : startOfField(line, fields - dim) - 1;
                String word = line.substring(0, wordEnd);
                int id = vocabulary.id(word);
                if (!matrix.wants(id) || !word.equals(vocabulary.word(id))) {
                    continue;
                }
                parseVector(line, wordEnd + 1, dim, vector, 0, name, lineNo);
                matrix.put(id, vector);
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException("cannot read GloVe vectors from " + file + ": " + e, e);
        }
        return matrix.build(name, file.toString(), null);
    }

    /**
     * Checks from the first line alone that the file (or zip entry) holds vectors of dimension {@code dim}, so a
     * wrong file is reported before any long work.
     *
     * @throws DataFileException for a missing file or a file of another dimension
     */
    public static void checkDimension(Path path, int dim) throws DataFileException {
        Path file = resolve(path, dim);
        try (Source source = open(file, dim);
                BufferedReader reader = new BufferedReader(new InputStreamReader(source.stream(), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            if (line == null) {
                throw new DataFileException(source.name() + " is empty");
            }
            int fields = countFields(line);
            int found = fields == 2 && isWord2VecHeader(line)
                    ? Integer.parseInt(line.substring(line.indexOf(' ') + 1).strip()) : fields - 1;
            if (found != dim) {
                throw wrongDimension(source.name(), found, dim);
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException("cannot read GloVe vectors from " + file + ": " + e, e);
        }
    }

    private static Path resolve(Path path, int dim) throws DataFileException {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                String suffix = "." + dim + "d.txt";
                List<Path> matches = files.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith("glove") && (n.endsWith(suffix) || n.endsWith(suffix + ".gz"));
                }).sorted().toList();
                if (matches.isEmpty()) {
                    throw new DataFileException("no GloVe file of dimension " + dim + " (glove*" + suffix + "[.gz]) in " + path);
                }
                return matches.get(0);
            } catch (IOException e) {
                throw new DataFileException("cannot list " + path + ": " + e, e);
            }
        }
        throw new DataFileException("GloVe vectors not found: " + path + " does not exist");
    }

    private record Source(String name, InputStream stream, AutoCloseable owner) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                stream.close();
                if (owner != null) {
                    owner.close();
                }
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private static Source open(Path file, int dim) throws IOException {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip")) {
            ZipFile zip;
            try {
                zip = new ZipFile(file.toFile());
            } catch (ZipException e) {
                throw new DataFileException(file + " is not a valid zip file: " + e.getMessage(), e);
            }
            List<String> entries = zip.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
            String wanted = entries.stream()
                    .filter(n -> {
                        var m = GLOVE_ZIP_ENTRY.matcher(n);
                        return m.matches() && Integer.parseInt(m.group(1)) == dim;
                    })
                    .findFirst().orElse(null);
            if (wanted == null) {
                zip.close();
                throw new DataFileException(file + " has no GloVe file of dimension " + dim + " (entries: " + entries + ")");
            }
            return new Source(name + "!" + wanted, zip.getInputStream(zip.getEntry(wanted)), zip);
        }
        InputStream in = Files.newInputStream(file);
        if (lower.endsWith(".gz")) {
            try {
                in = new GZIPInputStream(in, 1 << 16);
            } catch (ZipException e) {
                in.close();
                throw new DataFileException(file + " is not a gzip file: " + e.getMessage(), e);
            }
        }
        return new Source(name, in, null);
    }

    private static DataFileException wrongDimension(String name, int found, int expected) {
        return new DataFileException(name + " has " + found + "-dimensional vectors, expected " + expected
                + " (use the GloVe file of dimension " + expected + ", e.g. glove.6B." + expected + "d.txt)");
    }

    private static boolean isWord2VecHeader(String line) {
        return line.matches("\\d+ \\d+\\s*");
    }

    private static int countFields(String line) {
        int fields = 0;
        boolean inField = false;
        for (int i = 0; i < line.length(); i++) {
            boolean space = line.charAt(i) == ' ';
            if (!space && !inField) {
                fields++;
            }
            inField = !space;
        }
        return fields;
    }

    /** Index of the first character of the {@code k}-th field (0-based). */
    private static int startOfField(String line, int k) {
        int field = -1;
        boolean inField = false;
        for (int i = 0; i < line.length(); i++) {
            boolean space = line.charAt(i) == ' ';
            if (!space && !inField && ++field == k) {
                return i;
            }
            inField = !space;
        }
        return line.length();
    }

    private static void parseVector(String line, int from, int dim, float[] out, int offset, String name, long lineNo)
            throws DataFileException {
        int pos = from;
        int n = line.length();
        for (int k = 0; k < dim; k++) {
            while (pos < n && line.charAt(pos) == ' ') {
                pos++;
            }
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                end = n;
            }
            try {
                out[offset + k] = Float.parseFloat(line.substring(pos, end));
            } catch (NumberFormatException e) {
                throw new DataFileException(name + " line " + lineNo + ": value " + (k + 1) + " is not a number: '"
                        + line.substring(pos, end) + "'");
            }
            pos = end;
        }
    }
}
