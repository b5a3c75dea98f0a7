package dev.imdbstream.ingestor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.imdbstream.common.data.DataFileException;
import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.ingestor.config.IngestConfig;
import dev.imdbstream.ingestor.kafka.KafkaUnavailableException;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ingest}: reads the IMDB reviews and GloVe vectors and publishes {@code imdb.train}, {@code imdb.test},
 * {@code imdb.embeddings} (and {@code imdb.unsup} on request), then the {@code imdb.vocab} manifest. Options
 * override the {@code ingest.*} configuration for this run.
 * Exit codes: 0 done, 1 bad or missing input data, 2 bad command line, 3 Kafka unreachable or not acknowledging.
 */
@TopCommand
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Publishes the IMDB data set (aclImdb or Keras' imdb.npz) and GloVe vectors to Kafka.")
public class IngestCommand implements Callable<Integer> {

    public static final int EXIT_BAD_DATA = 1;
    public static final int EXIT_KAFKA = 3;

    @Inject
    IngestConfig config;

    /** The {@code kafka.*} security settings (KafkaSecurity), from application.properties or KAFKA_* variables. */
    @Inject
    org.eclipse.microprofile.config.Config settings;

    @Option(names = "--source", paramLabel = "PATH", description = "aclImdb_v1.tar.gz, its extracted folder, or imdb.npz")
    Path source;

    @Option(names = "--word-index", paramLabel = "PATH", description = "imdb_word_index.json for an imdb.npz source")
    Path wordIndex;

    @Option(names = "--glove", paramLabel = "PATH", description = "GloVe .txt, .txt.gz, glove.6B.zip or folder")
    Path glove;

    @Option(names = "--glove-dim", paramLabel = "N", description = "GloVe dimension (default 100)")
    Integer gloveDim;

    @Option(names = "--glove-name", paramLabel = "NAME", description = "embedding name (default from the file, e.g. glove.6B.100d)")
    String gloveName;

    @Option(names = "--no-glove", description = "publish no embedding matrix")
    boolean noGlove;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder searched for the data files")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "where --download puts files")
    Path cacheDir;

    @Option(names = "--download", description = "fetch missing data from its publishers (checksums verified)")
    boolean download;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOSTS", description = "Kafka brokers")
    String bootstrapServers;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "bound on reaching Kafka, e.g. 30s or PT30S")
    String timeout;

    @Option(names = "--unsup", negatable = true, description = "also publish the unlabelled reviews to imdb.unsup")
    Boolean unsup;

    @Option(names = "--text", negatable = true, description = "carry the raw review text in the records (default: ids only)")
    Boolean text;

    @Option(names = "--num-words", paramLabel = "N", description = "every id below this (default 10000)")
    Integer numWords;

    @Option(names = "--max-len", paramLabel = "N", description = "sequence length (default 150)")
    Integer maxLen;

    @Option(names = "--padding", paramLabel = "pre|post", description = "where padding goes (default pre)")
    String padding;

    @Option(names = "--truncating", paramLabel = "pre|post", description = "which end is cut (default pre)")
    String truncating;

    @Option(names = "--seed", paramLabel = "N", description = "shuffle and init seed (default 113)")
    Long seed;

    @Option(names = "--dry-run", description = "prepare and summarise without publishing (no broker needed)")
    boolean dryRun;

    @Option(names = "--benchmark", description = "labelled reviews only; print reviews/s and peak heap")
    boolean benchmark;

    @Override
    public Integer call() {
        IngestSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR: " + e.getMessage());
            return 2;
        }
        try {
            new Ingestor(settings, System.out).run();
            return 0;
        } catch (DataFileException e) {
            System.err.println("ERROR: " + e.getMessage());
            return EXIT_BAD_DATA;
        } catch (KafkaUnavailableException e) {
            System.err.println("ERROR: " + e.getMessage());
            return EXIT_KAFKA;
        }
    }

    IngestSettings settings() {
        IngestConfig.Preprocess p = config.preprocessing();
        Preprocessing preprocessing = new Preprocessing(Tokenizer.NAME, or(numWords, p.numWords()),
                or(maxLen, p.maxLen()), or(padding, p.padding()), or(truncating, p.truncating()), 0, 1, 2, 3);
        IngestConfig.Glove g = config.glove();
        boolean gloveOn = !noGlove && g.enabled();
        return new IngestSettings(or(dataDir, config.dataDir()), Optional.ofNullable(source).or(config::source),
                Optional.ofNullable(wordIndex).or(config::wordIndex), or(cacheDir, config.cacheDir()),
                download || config.download(), or(unsup, config.includeUnsup()), or(text, config.includeText()),
                or(seed, config.seed()), preprocessing, gloveOn, Optional.ofNullable(glove).or(g::path),
                or(gloveDim, g.dim()), Optional.ofNullable(gloveName).or(g::name),
                or(bootstrapServers, config.kafka().bootstrapServers()),
                timeout == null ? config.kafka().timeout() : parseDuration(timeout), config.kafka().producer(),
                dryRun, benchmark, KafkaSecurity.from(name -> settings.getOptionalValue(name, String.class)),
                config.kafka().createTopics());
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Duration parseDuration(String s) {
        try {
            return s.toUpperCase().startsWith("P") ? Duration.parse(s)
                    : Duration.ofMillis(Math.round(Double.parseDouble(s.replaceAll("(?i)s$", "")) * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--timeout " + s + " is not a duration (e.g. 30s or PT30S)");
        }
    }
}
