package dev.imdbstream.ingestor;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.imdbstream.common.data.AclImdbReader;
import dev.imdbstream.common.data.AlignedEmbedding;
import dev.imdbstream.common.data.DataFileException;
import dev.imdbstream.common.data.DataFiles;
import dev.imdbstream.common.data.GloveReader;
import dev.imdbstream.common.data.ImdbSplit;
import dev.imdbstream.common.kafka.Topic;
import dev.imdbstream.common.kafka.Topics;
import dev.imdbstream.common.schema.EmbeddingMatrix;
import dev.imdbstream.common.schema.ReviewSequence;
import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.schema.VocabularyRecord.Stats;
import dev.imdbstream.ingestor.data.DatasetBuilder;
import dev.imdbstream.ingestor.data.PreparedDataset;
import dev.imdbstream.ingestor.kafka.DatasetPublisher;
import dev.imdbstream.ingestor.kafka.KafkaUnavailableException;
import dev.imdbstream.ingestor.vectors.ReviewEncodingJob;
import dev.imdbstream.ingestor.vectors.Word2VecSettings;
import dev.imdbstream.ingestor.vectors.Word2VecTrainer;

/**
 * One ingestion run: finds (or downloads) the data, checks the broker and creates the topics, prepares the
 * data set, builds the GloVe matrix (and on request trains word2vec vectors), publishes everything with the
 * {@code imdb.vocab} manifest last, and prints progress and a summary on the console. Bad input or an unreachable broker ends the run with an exception
 * whose message names the problem, before any manifest is published.
 */
public final class Ingestor {

    private static final Logger LOG = Logger.getLogger(Ingestor.class);
    private static final int PROGRESS_EVERY = 10_000;

    private final IngestSettings settings;
    private final Console console;

    public Ingestor(IngestSettings settings, PrintStream out) {
        this.settings = settings;
        this.console = new Console(out);
    }

    public Summary run() throws DataFileException, KafkaUnavailableException {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        Map<String, Double> seconds = new LinkedHashMap<>();
        double mark = console.elapsed();

        Path source = locateSource();
        if (settings.sentenceEncoder().isPresent() && isNpz(source)) {
            throw new DataFileException("--sentence-encoder reads the reviews' text: it needs aclImdb (archive or"
                    + " folder), not Keras' imdb.npz " + source);
        }
        if (settings.word2vec().isPresent() && isNpz(source)) {
            throw new DataFileException("--word2vec trains on the reviews' text, train and unsup: it needs aclImdb"
                    + " (archive or folder), not Keras' imdb.npz " + source);
        }
        Optional<Path> glove = settings.gloveEnabled() ? Optional.of(locateGlove()) : Optional.empty();
        if (glove.isPresent()) {
            GloveReader.checkDimension(glove.get(), settings.gloveDim());
        }

        try (DatasetPublisher publisher = new DatasetPublisher(settings.bootstrapServers(), settings.security(),
                settings.timeout(), settings.producer())) {
            if (!settings.dryRun()) {
                console.line("connecting to Kafka at %s, %s (timeout %d s)", settings.bootstrapServers(),
                        settings.security().describe(), settings.timeout().toSeconds());
                if (settings.createTopics()) {
                    publisher.createTopics(Topics.ALL);
                } else {
                    publisher.checkTopics(List.of(Topics.TRAIN, Topics.TEST, Topics.UNSUP, Topics.EMBEDDINGS,
                            Topics.REVIEW_EMBEDDINGS, Topics.VOCAB));
                }
                seconds.put("kafka setup", console.elapsed() - mark);
                mark = console.elapsed();
            }

            PreparedDataset dataset = prepare(source);
            seconds.put("read + tokenize + encode", console.elapsed() - mark);
            mark = console.elapsed();

            List<EmbeddingMatrix> matrices = new ArrayList<>();
            List<VocabularyRecord.EmbeddingCoverage> coverage = new ArrayList<>();
            if (glove.isPresent()) {
                console.line("reading GloVe vectors from %s", glove.get());
                AlignedEmbedding e = GloveReader.read(glove.get(), settings.gloveDim(), dataset.vocabulary(),
                        settings.seed());
                String name = settings.gloveName().orElse(embeddingName(e.entry(), settings.gloveDim()));
                matrices.add(e.toRecord(dataset.datasetId(), name));
                coverage.add(e.coverage(name));
                LOG.debugf("vocabulary words without a GloVe vector: %s", e.missing());
                seconds.put("GloVe", console.elapsed() - mark);
                mark = console.elapsed();
            }
            if (settings.word2vec().isPresent()) {
                Word2VecSettings w2v = settings.word2vec().get();
                AlignedEmbedding e = Word2VecTrainer.train(dataset.corpus().orElseThrow(), dataset.vocabulary(), w2v,
                        settings.seed(), (format, args) -> console.line(format, args));
                matrices.add(e.toRecord(dataset.datasetId(), w2v.name()));
                coverage.add(e.coverage(w2v.name()));
                LOG.debugf("vocabulary words without a word2vec vector: %s", e.missing());
                seconds.put("word2vec", console.elapsed() - mark);
                mark = console.elapsed();
            }

            VocabularyRecord manifest = new VocabularyRecord(VocabularyRecord.VERSION, dataset.datasetId(),
                    dataset.vocabulary().preprocessing(), dataset.vocabulary().words(), dataset.source(),
                    dataset.stats(), coverage, System.currentTimeMillis());

            List<String> topics = new ArrayList<>();
            if (!settings.dryRun()) {
                Map<Topic<String, ReviewSequence>, List<ReviewSequence>> reviews = new LinkedHashMap<>();
                reviews.put(Topics.TRAIN, published(dataset.reviews(ImdbSplit.TRAIN)));
                reviews.put(Topics.TEST, published(dataset.reviews(ImdbSplit.TEST)));
                if (!dataset.reviews(ImdbSplit.UNSUP).isEmpty()) {
                    reviews.put(Topics.UNSUP, published(dataset.reviews(ImdbSplit.UNSUP)));
                }
                reviews.keySet().forEach(t -> topics.add(t.name()));
                if (!matrices.isEmpty()) {
                    topics.add(Topics.EMBEDDINGS.name());
                }
                topics.add(Topics.VOCAB.name());
                long total = dataset.totalReviews() + matrices.size();
                console.line("publishing %s records to %s, then the manifest", Console.n(total), topics);
                publisher.publish(reviews, matrices, manifest, (acked, sent) -> {
                    if (acked % PROGRESS_EVERY == 0) {
                        console.line("  %s / %s records acknowledged (%.1f s)", Console.n(acked), Console.n(total),
                                console.elapsed());
                    }
                });
                seconds.put("publish", console.elapsed() - mark);
                mark = console.elapsed();
                if (settings.sentenceEncoder().isPresent()) {
                    // After the manifest: the other variants can train on the data set while the encoder runs.
                    List<ReviewSequence> labelled = new ArrayList<>(dataset.reviews(ImdbSplit.TRAIN));
                    labelled.addAll(dataset.reviews(ImdbSplit.TEST));
                    ReviewEncodingJob.Outcome encoded = ReviewEncodingJob.run(settings.sentenceEncoder().get(),
                            dataset.datasetId(), labelled, publisher, (format, args) -> console.line(format, args));
                    console.line("review embeddings %s: %s encoded, %s already there, %.1f s",
                            settings.sentenceEncoder().get().encoder(), Console.n(encoded.encoded()),
                            Console.n(encoded.skipped()), encoded.seconds());
                    topics.add(Topics.REVIEW_EMBEDDINGS.name());
                    seconds.put("sentence encoder", console.elapsed() - mark);
                }
            } else if (settings.sentenceEncoder().isPresent()) {
                console.line("dry run: no reviews encoded (the encoder publishes as it goes)");
            }
            seconds.put("total", console.elapsed());
            Summary summary = new Summary(manifest, !settings.dryRun(), topics, seconds, peakHeap());
            printSummary(summary);
            return summary;
        }
    }

    /** The records as published: the text only where it was asked for (the encoder reads it in any case). */
    private List<ReviewSequence> published(List<ReviewSequence> reviews) {
        if (settings.includeText()) {
            return reviews;
        }
        return reviews.stream().map(ReviewSequence::withoutText).toList();
    }

    private PreparedDataset prepare(Path source) throws DataFileException {
        boolean unsup = settings.includeUnsup();
        boolean corpus = settings.word2vec().isPresent();
        DatasetBuilder builder = new DatasetBuilder(new DatasetBuilder.Options(settings.preprocessing(),
                settings.seed(), unsup, settings.includeText() || settings.sentenceEncoder().isPresent(), corpus));
        DatasetBuilder.Listener progress = (split, inSplit, total) -> {
            if (total % PROGRESS_EVERY == 0) {
                console.line("  read %s reviews (%.1f s)", Console.n(total), console.elapsed());
            }
        };
        try {
            if (isNpz(source)) {
                Path wordIndex = settings.wordIndex()
                        .orElse(source.resolveSibling(DataFiles.KERAS_IMDB_WORD_INDEX.fileName()));
                console.line("reading Keras' %s and %s", source, wordIndex);
                return builder.fromKerasNpz(source, wordIndex, progress);
            }
            AclImdbReader reader = AclImdbReader.of(source);
            console.line("reading %s%s (%s)", source, reader.isArchive() ? "" : "/",
                    unsup ? "train, test and unsup" : corpus ? "train, test, and unsup for word2vec only" : "train and test");
            PreparedDataset dataset = builder.fromAclImdb(reader, progress);
            checkArchiveHash(dataset.source());
            return dataset;
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException("cannot read " + source + ": " + e, e);
        }
    }

    private static boolean isNpz(Path source) {
        return source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
    }

    private void checkArchiveHash(String source) {
        int at = source.indexOf("(sha256 ");
        if (at >= 0) {
            String sha = source.substring(at + 8, source.length() - 1);
            if (!DataFiles.ACL_IMDB.accepts(sha)) {
                LOG.warnf("%s: its sha256 %s is not the one of Stanford's aclImdb_v1.tar.gz (%s): read anyway",
                        source, sha, DataFiles.ACL_IMDB.hash());
            }
        }
    }

    private Path locateSource() throws DataFileException {
        if (settings.source().isPresent()) {
            Path p = settings.source().get();
            if (!Files.exists(p)) {
                if (p.getFileName().toString().equals(DataFiles.ACL_IMDB.fileName())) {
                    if (settings.download()) {
                        return download(DataFiles.ACL_IMDB);
                    }
                    throw new DataFileException(DataFiles.missingMessage(DataFiles.ACL_IMDB, absolute(p),
                            absolute(settings.cacheDir())));
                }
                throw new DataFileException("IMDB reviews not found: " + p + " does not exist");
            }
            return p;
        }
        List<Path> folders = List.of(settings.dataDir(), settings.cacheDir());
        Optional<Path> found = DataFiles.find(DataFiles.ACL_IMDB, folders)
                .or(() -> folders.stream().map(f -> f.resolve("aclImdb")).filter(Files::isDirectory).findFirst());
        if (found.isPresent()) {
            return found.get();
        }
        if (settings.download()) {
            return download(DataFiles.ACL_IMDB);
        }
        throw new DataFileException(DataFiles.missingMessage(DataFiles.ACL_IMDB,
                absolute(settings.dataDir().resolve(DataFiles.ACL_IMDB.fileName())), absolute(settings.cacheDir())));
    }

    private Path locateGlove() throws DataFileException {
        if (settings.glovePath().isPresent()) {
            Path p = settings.glovePath().get();
            if (!Files.exists(p) && p.getFileName().toString().equals(DataFiles.GLOVE_6B.fileName()) && settings.download()) {
                return download(DataFiles.GLOVE_6B);
            }
            return p; // GloveReader names a missing file
        }
        List<Path> folders = List.of(settings.dataDir(), settings.cacheDir());
        for (String name : DataFiles.gloveCandidates(settings.gloveDim())) {
            Optional<Path> found = DataFiles.find(name, folders);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (settings.download()) {
            return download(DataFiles.GLOVE_6B);
        }
        throw new DataFileException(DataFiles.missingMessage(DataFiles.GLOVE_6B,
                absolute(settings.dataDir().resolve(DataFiles.GLOVE_6B.fileName())), absolute(settings.cacheDir()))
                + " Or run with --no-glove to publish no embedding matrix.");
    }

    private Path download(DataFiles.Known file) throws DataFileException {
        console.line("downloading %s from %s into %s", file.fileName(), file.url(), settings.cacheDir());
        long[] next = {0};
        return DataFiles.download(file, settings.cacheDir(), Duration.ofSeconds(30), bytes -> {
            if (bytes >= next[0]) {
                console.line("  %s MB", Console.n(bytes >> 20));
                next[0] = bytes + (50L << 20);
            }
        });
    }

    /** {@code glove.6B.100d} from {@code glove.6B.zip!glove.6B.100d.txt} or {@code glove.6B.100d.imdb-vocab.txt.gz}. */
    static String embeddingName(String entry, int dim) {
        String name = entry.substring(entry.lastIndexOf('!') + 1);
        name = name.substring(name.lastIndexOf('/') + 1);
        for (String suffix : List.of(".gz", ".txt", ".imdb-vocab")) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        return name.isEmpty() ? "glove." + dim + "d" : name;
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private void printSummary(Summary s) {
        VocabularyRecord m = s.manifest();
        Map<String, Double> st = m.stats();
        console.line("");
        console.line("data set %s %s", m.datasetId(), s.published() ? "published" : "prepared (dry run: nothing published)");
        console.line("  source      %s", m.source());
        for (ImdbSplit split : ImdbSplit.values()) {
            String w = split.wireName();
            if (!st.containsKey(Stats.reviews(w))) {
                continue;
            }
            String labels = split.labelled()
                    ? String.format(Locale.ROOT, " (pos %s, neg %s)", Console.n(stat(st, Stats.reviews(w, "pos"))),
                            Console.n(stat(st, Stats.reviews(w, "neg"))))
                    : "";
            console.line("  %-11s %s reviews%s, OOV tokens %s, truncated %s", w, Console.n(stat(st, Stats.reviews(w))),
                    labels, Console.pct(st.get(Stats.oovShare(w))), Console.pct(st.get(Stats.truncatedShare(w))));
        }
        var p = m.preprocessing();
        console.line("  vocabulary  %s words (ids %d..%s; 0 pad, 1 start, 2 OOV) of %s distinct training words",
                Console.n(m.words().size()), p.indexFrom(), Console.n(p.numWords() - 1),
                st.containsKey(Stats.TRAIN_DISTINCT_WORDS) ? Console.n(stat(st, Stats.TRAIN_DISTINCT_WORDS)) : "?");
        console.line("  sequences   length %d, padding %s, truncating %s, tokenizer %s", p.maxLen(), p.padding(),
                p.truncating(), p.tokenizer());
        for (VocabularyRecord.EmbeddingCoverage c : m.embeddings()) {
            console.line("  embedding   %s: %s of %s vocabulary words covered (%s), from %s", c.name(),
                    Console.n(c.covered()), Console.n(c.total()), Console.pct(c.share()), c.source());
        }
        if (s.published()) {
            console.line("  topics      %s (imdb.vocab last, as the manifest)", s.topics());
        }
        StringBuilder times = new StringBuilder();
        s.seconds().forEach((k, v) -> times.append(times.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.1f s", k, v)));
        console.line("  time        %s; peak heap %s MiB of %s MiB", times, Console.n(s.peakHeapBytes() >> 20),
                Console.n(Runtime.getRuntime().maxMemory() >> 20));
    }

    private static long stat(Map<String, Double> stats, String key) {
        Double v = stats.get(key);
        return v == null ? 0 : Math.round(v);
    }
}
