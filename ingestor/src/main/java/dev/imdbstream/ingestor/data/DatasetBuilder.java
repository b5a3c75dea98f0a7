package dev.imdbstream.ingestor.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.Checksums;
import dev.imdbstream.common.data.KerasImdbNpz;
import dev.imdbstream.common.data.RawReview;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.kafka.Json;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord.Stats;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;

/**
 * Turns a source into a {@link PreparedDataset}: tokenizes each review once as it streams in (keeping only
 * compact ids of a running dictionary), fits the vocabulary on the training split only, then encodes, pads
 * or truncates and shuffles each split with a fixed seed. Every review's tokens equal
 * {@link Vocabulary#encodeText(String)} of its text: the scorer's path.
 * <p>
 * Reviews are put in a canonical order (label, then file id) before the shuffle, so the result and the
 * dataset id do not depend on the order a source lists its files (archive or extracted folder).
 */
public final class DatasetBuilder {

    /** Bumped when the ingestor's output for the same input and settings changes. */
    static final String FORMAT = "imdb-stream-dataset-v2";

    /**
     * @param shuffleSeed  seeds each split's shuffle (train with the seed, test with seed + 1, unsup with seed + 2)
     * @param includeUnsup also prepare the unlabelled reviews (encoded with the training vocabulary)
     * @param includeText  keep the raw text in the records
     * @param keepCorpus   keep the training and unlabelled reviews' tokens ({@link Corpus}) for word vectors; reads
     *                     the unlabelled reviews even when they are not included
     */
    public record Options(Preprocessing preprocessing, long shuffleSeed, boolean includeUnsup, boolean includeText,
            boolean keepCorpus) {

        public Options(Preprocessing preprocessing, long shuffleSeed, boolean includeUnsup, boolean includeText) {
            this(preprocessing, shuffleSeed, includeUnsup, includeText, false);
        }
    }

    /** Receives progress while the source is read. */
    public interface Listener {
        void reviewsRead(ImdbSplit split, int inSplit, int total);
    }

    private final Options options;

    public DatasetBuilder(Options options) {
        this.options = options;
    }

    /**
     * Reads aclImdb (archive or folder), tokenizing with {@link Tokenizer}. Decompression and tokenization are
     * about equally costly, so a second thread tokenizes while this one reads.
     */
    public PreparedDataset fromAclImdb(AclImdbReader reader, Listener listener) throws IOException {
        Dictionary dictionary = new Dictionary();
        Map<ImdbSplit, List<Pending>> pending = new EnumMap<>(ImdbSplit.class);
        EnumSet<ImdbSplit> splits = options.includeUnsup() || options.keepCorpus() ? EnumSet.allOf(ImdbSplit.class)
                : EnumSet.of(ImdbSplit.TRAIN, ImdbSplit.TEST);
        BlockingQueue<Read> queue = new ArrayBlockingQueue<>(1024);
        AtomicReference<Throwable> workerFailure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            int total = 0;
            try {
                for (Read read = queue.take(); read != Read.END; read = queue.take()) {
                    RawReview review = read.review();
                    int[] ids = dictionary.ids(Tokenizer.tokenize(review.text()), review.split() == ImdbSplit.TRAIN);
                    List<Pending> list = pending.computeIfAbsent(review.split(), s -> new ArrayList<>(25_000));
                    list.add(new Pending(review.label(), review.rating(), review.fileId(), ids,
                            options.includeText() ? review.text() : null, read.digest()));
                    listener.reviewsRead(review.split(), list.size(), ++total);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                workerFailure.set(t);
                queue.clear();
            }
        }, "ingest-tokenizer");
        worker.setDaemon(true);
        worker.start();
        AclImdbReader.Result result;
        MessageDigest perReview = sha256();
        try {
            result = reader.read(splits, review -> {
                byte[] digest = review.split().labelled() ? contentDigest(perReview, review) : null;
                put(queue, new Read(review, digest), workerFailure);
            });
            put(queue, Read.END, workerFailure);
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + reader.path(), e);
        } finally {
            if (worker.isAlive()) {
                worker.interrupt();
            }
        }
        if (workerFailure.get() != null) {
            throw new IllegalStateException("tokenizing failed: " + workerFailure.get(), workerFailure.get());
        }

        Vocabulary vocabulary = Vocabulary.fromCounts(options.preprocessing(), dictionary.trainCounts());
        int[] toVocabularyId = dictionary.mapTo(vocabulary);
        String datasetId = datasetId(labelledDigest(pending));
        String source = reader.path().toAbsolutePath().normalize()
                + (result.sha256() != null ? " (sha256 " + result.sha256() + ")" : "");
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put(Stats.VOCABULARY_WORDS, (double) vocabulary.words().size());
        stats.put(Stats.TRAIN_DISTINCT_WORDS, (double) dictionary.trainDistinct());
        Optional<Corpus> corpus = options.keepCorpus() ? Optional.of(corpus(dictionary, pending)) : Optional.empty();
        if (!options.includeUnsup()) {
            pending.remove(ImdbSplit.UNSUP);
        }
        return finish(datasetId, vocabulary, source, pending, toVocabularyId, stats, corpus);
    }

    /** The training and unlabelled reviews' dictionary ids in canonical order; the test split never enters. */
    private static Corpus corpus(Dictionary dictionary, Map<ImdbSplit, List<Pending>> pending) {
        List<int[]> sequences = new ArrayList<>();
        Map<String, Integer> reviews = new LinkedHashMap<>();
        for (ImdbSplit split : List.of(ImdbSplit.TRAIN, ImdbSplit.UNSUP)) {
            List<Pending> list = new ArrayList<>(pending.getOrDefault(split, List.of()));
            list.sort(Comparator.comparingInt(Pending::label).thenComparingInt(Pending::fileId));
            list.forEach(r -> sequences.add(r.ids()));
            reviews.put(split.wireName(), list.size());
        }
        return new Corpus(Collections.unmodifiableList(dictionary.words), Collections.unmodifiableList(sequences),
                Collections.unmodifiableMap(reviews));
    }

    /** Reads Keras' imdb.npz and word index; the vocabulary is Keras' ranking (see {@link KerasImdbNpz}). */
    public PreparedDataset fromKerasNpz(Path npz, Path wordIndex, Listener listener) throws IOException {
        Preprocessing p = options.preprocessing();
        Preprocessing keras = new Preprocessing(KerasImdbNpz.TOKENIZER, p.numWords(), p.maxLen(), p.padding(),
                p.truncating(), p.padId(), p.startId(), p.oovId(), p.indexFrom());
        KerasImdbNpz.Data data = KerasImdbNpz.readNpz(npz);
        Vocabulary vocabulary = KerasImdbNpz.vocabulary(KerasImdbNpz.readWordIndex(wordIndex), keras);
        Map<ImdbSplit, List<Pending>> pending = new EnumMap<>(ImdbSplit.class);
        int total = 0;
        for (ImdbSplit split : List.of(ImdbSplit.TRAIN, ImdbSplit.TEST)) {
            int[][] x = data.x(split);
            int[] y = data.y(split);
            List<Pending> list = new ArrayList<>(x.length);
            for (int i = 0; i < x.length; i++) {
                // The npz has no file ids: a review's id is its position in the npz array.
                list.add(new Pending(y[i], 0, i, KerasImdbNpz.encode(x[i], keras), null, null));
                listener.reviewsRead(split, i + 1, ++total);
            }
            pending.put(split, list);
        }
        String contentDigest = Checksums.sha256Hex(npz) + Checksums.sha256Hex(wordIndex);
        String datasetId = datasetId(contentDigest.getBytes(StandardCharsets.US_ASCII));
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put(Stats.VOCABULARY_WORDS, (double) vocabulary.words().size());
        // Already ids: the identity table maps them (ids are final here, see KerasImdbNpz.encode).
        return finish(datasetId, vocabulary, npz + " + " + wordIndex, pending, null, stats, Optional.empty());
    }

    private PreparedDataset finish(String datasetId, Vocabulary vocabulary, String source,
            Map<ImdbSplit, List<Pending>> pending, int[] toVocabularyId, Map<String, Double> stats,
            Optional<Corpus> corpus) {
        Preprocessing p = vocabulary.preprocessing();
        Map<ImdbSplit, List<ReviewSequence>> out = new EnumMap<>(ImdbSplit.class);
        for (ImdbSplit split : ImdbSplit.values()) {
            List<Pending> reviews = pending.get(split);
            if (reviews == null) {
                continue;
            }
            reviews.sort(Comparator.comparingInt(Pending::label).thenComparingInt(Pending::fileId));
            Collections.shuffle(reviews, new Random(options.shuffleSeed() + split.ordinal()));
            List<ReviewSequence> records = new ArrayList<>(reviews.size());
            long tokens = 0;
            long oov = 0;
            int truncated = 0;
            Map<Integer, Integer> perLabel = new HashMap<>();
            for (int index = 0; index < reviews.size(); index++) {
                Pending r = reviews.get(index);
                int[] ids = toVocabularyId == null ? r.ids() : encode(r.ids(), toVocabularyId, p.startId());
                for (int k = 1; k < ids.length; k++) {
                    if (ids[k] == p.oovId()) {
                        oov++;
                    }
                }
                tokens += ids.length - 1;
                if (ids.length > p.maxLen()) {
                    truncated++;
                }
                perLabel.merge(r.label(), 1, Integer::sum);
                String id = RawReview.id(split, r.label(), r.fileId());
                records.add(new ReviewSequence(ReviewSequence.VERSION, id, datasetId, split.wireName(), index,
                        r.label(), r.rating(), vocabulary.pad(ids), ids, r.text()));
                reviews.set(index, null); // let the dictionary ids go as the records are made
            }
            String s = split.wireName();
            stats.put(Stats.reviews(s), (double) records.size());
            if (split.labelled()) {
                stats.put(Stats.reviews(s, "pos"), (double) perLabel.getOrDefault(1, 0));
                stats.put(Stats.reviews(s, "neg"), (double) perLabel.getOrDefault(0, 0));
            }
            stats.put(Stats.tokens(s), (double) tokens);
            stats.put(Stats.oovShare(s), tokens == 0 ? 0 : (double) oov / tokens);
            stats.put(Stats.truncatedShare(s), records.isEmpty() ? 0 : (double) truncated / records.size());
            out.put(split, Collections.unmodifiableList(records));
        }
        stats.put(Stats.SHUFFLE_SEED, (double) options.shuffleSeed());
        return new PreparedDataset(datasetId, vocabulary, source, out, Collections.unmodifiableMap(stats), corpus);
    }

    private static int[] encode(int[] dictionaryIds, int[] toVocabularyId, int startId) {
        int[] ids = new int[dictionaryIds.length + 1];
        ids[0] = startId;
        for (int i = 0; i < dictionaryIds.length; i++) {
            ids[i + 1] = toVocabularyId[dictionaryIds[i]];
        }
        return ids;
    }

    /** {@code imdb-} and 16 hex digits of sha256(format, content digest, preprocessing, shuffle seed). */
    String datasetId(byte[] contentDigest) {
        MessageDigest d = sha256();
        d.update(FORMAT.getBytes(StandardCharsets.UTF_8));
        d.update(contentDigest);
        try {
            d.update(Json.MAPPER.writeValueAsBytes(options.preprocessing()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("preprocessing settings are not serializable", e);
        }
        d.update(Long.toString(options.shuffleSeed()).getBytes(StandardCharsets.UTF_8));
        return "imdb-" + HexFormat.of().formatHex(d.digest()).substring(0, 16);
    }

    /** Digest of the labelled reviews in canonical order; the unlabelled ones do not change the dataset id. */
    private static byte[] labelledDigest(Map<ImdbSplit, List<Pending>> pending) {
        MessageDigest d = sha256();
        for (ImdbSplit split : List.of(ImdbSplit.TRAIN, ImdbSplit.TEST)) {
            List<Pending> reviews = new ArrayList<>(pending.getOrDefault(split, List.of()));
            reviews.sort(Comparator.comparingInt(Pending::label).thenComparingInt(Pending::fileId));
            d.update(split.wireName().getBytes(StandardCharsets.UTF_8));
            for (Pending r : reviews) {
                d.update(r.digest());
            }
        }
        return d.digest();
    }

    private static byte[] contentDigest(MessageDigest d, RawReview review) {
        d.reset();
        d.update((review.id() + "\n" + review.rating() + "\n").getBytes(StandardCharsets.UTF_8));
        d.update(review.text().getBytes(StandardCharsets.UTF_8));
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(BlockingQueue<Read> queue, Read read, AtomicReference<Throwable> workerFailure) {
        try {
            while (!queue.offer(read, 100, TimeUnit.MILLISECONDS)) {
                if (workerFailure.get() != null) {
                    return; // the failure is reported once the reader returns
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A review handed from the reading thread to the tokenizing one. */
    private record Read(RawReview review, byte[] digest) {
        static final Read END = new Read(null, null);
    }

    /** A review between reading and encoding: ids of the running dictionary (or final ids for the npz). */
    private record Pending(int label, int rating, int fileId, int[] ids, String text, byte[] digest) {
    }

    /** Every distinct token seen gets a compact id; training-split counts are kept for the vocabulary. */
    private static final class Dictionary {
        private final Map<String, Integer> ids = new HashMap<>(200_000);
        private final List<String> words = new ArrayList<>(200_000);
        private long[] trainCounts = new long[200_000];

        int[] ids(List<String> tokens, boolean train) {
            int[] out = new int[tokens.size()];
            for (int i = 0; i < out.length; i++) {
                String token = tokens.get(i);
                Integer id = ids.get(token);
                if (id == null) {
                    id = words.size();
                    ids.put(token, id);
                    words.add(token);
                    if (id == trainCounts.length) {
                        trainCounts = Arrays.copyOf(trainCounts, id * 2);
                    }
                }
                out[i] = id;
                if (train) {
                    trainCounts[id]++;
                }
            }
            return out;
        }

        Map<String, Long> trainCounts() {
            Map<String, Long> counts = new HashMap<>(words.size() * 2);
            for (int i = 0; i < words.size(); i++) {
                if (trainCounts[i] > 0) {
                    counts.put(words.get(i), trainCounts[i]);
                }
            }
            return counts;
        }

        int trainDistinct() {
            int n = 0;
            for (int i = 0; i < words.size(); i++) {
                if (trainCounts[i] > 0) {
                    n++;
                }
            }
            return n;
        }

        int[] mapTo(Vocabulary vocabulary) {
            int[] map = new int[words.size()];
            for (int i = 0; i < map.length; i++) {
                map[i] = vocabulary.id(words.get(i));
            }
            return map;
        }
    }
}
