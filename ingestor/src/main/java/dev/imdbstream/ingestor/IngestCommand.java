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
import dev.imdbstream.ingestor.vectors.ReviewEncodingJob;
import dev.imdbstream.ingestor.vectors.Word2VecSettings;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.configuration.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ingest}: reads the IMDB reviews and GloVe vectors and publishes {@code imdb.train}, {@code imdb.test},
 * {@code imdb.embeddings} (GloVe's matrix, and on request word2vec's trained here), {@code imdb.unsup} on
 * request, then the {@code imdb.vocab} manifest. Options override the {@code ingest.*} configuration ({@link IngestConfig}) for this run: each option's default is the
 * configured value of the property its {@code descriptionKey} names ({@link ConfigDefaults}).
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

    @Option(names = "--source", paramLabel = "PATH", descriptionKey = "ingest.source",
            description = "aclImdb_v1.tar.gz, its extracted folder, or imdb.npz")
    Optional<Path> source;

    @Option(names = "--word-index", paramLabel = "PATH", descriptionKey = "ingest.word-index",
            description = "imdb_word_index.json for an imdb.npz source")
    Optional<Path> wordIndex;

    @Option(names = "--glove", paramLabel = "PATH", descriptionKey = "ingest.glove.path",
            description = "GloVe .txt, .txt.gz, glove.6B.zip or folder")
    Optional<Path> glove;

    @Option(names = "--glove-dim", paramLabel = "N", descriptionKey = "ingest.glove.dim",
            description = "GloVe dimension (default ${DEFAULT-VALUE})")
    int gloveDim;

    @Option(names = "--glove-name", paramLabel = "NAME", descriptionKey = "ingest.glove.name",
            description = "embedding name (default from the file, e.g. glove.6B.100d)")
    Optional<String> gloveName;

    /** Negates ingest.glove.enabled ({@code --glove} names the file, so this flag cannot be its negatable form). */
    @Option(names = "--no-glove", description = "publish no embedding matrix")
    boolean noGlove;

    @Option(names = "--data-dir", paramLabel = "DIR", descriptionKey = "ingest.data-dir",
            description = "folder searched for the data files (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--cache-dir", paramLabel = "DIR", descriptionKey = "ingest.cache-dir",
            description = "where --download puts files (default ${DEFAULT-VALUE})")
    Path cacheDir;

    @Option(names = "--download", descriptionKey = "ingest.download",
            description = "fetch missing data from its publishers (checksums verified)")
    boolean download;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOSTS", descriptionKey = "ingest.kafka.bootstrap-servers",
            description = "Kafka brokers (default ${DEFAULT-VALUE})")
    String bootstrapServers;

    @Option(names = "--timeout", paramLabel = "DURATION", descriptionKey = "ingest.kafka.timeout",
            converter = DurationOption.class,
            description = "bound on reaching Kafka, e.g. 30s or PT30S (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--unsup", negatable = true, descriptionKey = "ingest.include-unsup",
            description = "also publish the unlabelled reviews to imdb.unsup")
    boolean unsup;

    @Option(names = "--word2vec", negatable = true, descriptionKey = "ingest.word2vec.enabled",
            description = "also train word2vec vectors on the train and unsup reviews (never test) and publish them"
                    + " beside GloVe's (ingest.word2vec.* settings; minutes of CPU)")
    boolean word2vec;

    @Option(names = "--sentence-encoder", negatable = true, descriptionKey = "ingest.sentence-encoder.enabled",
            description = "also encode every train and test review with a frozen sentence encoder"
                    + " (ingest.sentence-encoder.*, all-MiniLM-L6-v2) and publish the vectors to imdb.review-embeddings,"
                    + " skipping reviews already there (tens of minutes of CPU)")
    boolean sentenceEncoder;

    @Option(names = "--text", negatable = true, descriptionKey = "ingest.include-text",
            description = "carry the raw review text in the records (default: ids only)")
    boolean text;

    @Option(names = "--num-words", paramLabel = "N", descriptionKey = "ingest.preprocessing.num-words",
            description = "every id below this (default ${DEFAULT-VALUE})")
    int numWords;

    @Option(names = "--max-len", paramLabel = "N", descriptionKey = "ingest.preprocessing.max-len",
            description = "sequence length (default ${DEFAULT-VALUE})")
    int maxLen;

    @Option(names = "--padding", paramLabel = "pre|post", descriptionKey = "ingest.preprocessing.padding",
            description = "where padding goes (default ${DEFAULT-VALUE})")
    String padding;

    @Option(names = "--truncating", paramLabel = "pre|post", descriptionKey = "ingest.preprocessing.truncating",
            description = "which end is cut (default ${DEFAULT-VALUE})")
    String truncating;

    @Option(names = "--seed", paramLabel = "N", descriptionKey = "ingest.seed",
            description = "shuffle and init seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--dry-run", description = "prepare and summarise without publishing (no broker needed)")
    boolean dryRun;


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
        Preprocessing preprocessing = new Preprocessing(Tokenizer.NAME, numWords, maxLen, padding, truncating,
                0, 1, 2, 3);
        return new IngestSettings(dataDir, source, wordIndex, cacheDir, download, unsup, text, seed, preprocessing,
                !noGlove && config.glove().enabled(), glove, gloveDim, gloveName, bootstrapServers, timeout,
                config.kafka().producer(), dryRun,
                KafkaSecurity.from(name -> settings.getOptionalValue(name, String.class)), config.kafka().createTopics(),
                word2vec ? Optional.of(word2vecSettings()) : Optional.empty(),
                sentenceEncoder ? Optional.of(new ReviewEncodingJob.Settings(config.sentenceEncoder().name(),
                        config.sentenceEncoder().threads().orElse(Runtime.getRuntime().availableProcessors())))
                        : Optional.empty());
    }

    /** @throws IllegalArgumentException for a bad setting, before any work */
    private Word2VecSettings word2vecSettings() {
        IngestConfig.Word2Vec w = config.word2vec();
        return new Word2VecSettings(w.name().orElse(Word2VecSettings.defaultName(w.vectorSize())), w.vectorSize(),
                w.window(), w.minWordFrequency(), w.epochs(), w.negative(), w.seed().orElse(seed));
    }

    /** Durations as in the configuration (30s, 500ms, PT30S; a bare number is seconds). */
    static final class DurationOption implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationConverter.parseDuration(value.strip());
            } catch (RuntimeException e) {
                throw new TypeConversionException("--timeout " + value + " is not a duration (e.g. 30s or PT30S)");
            }
        }
    }
}
