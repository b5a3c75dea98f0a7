package dev.imdbstream.ingestor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The ingestor's settings ({@code ingest.*} in application.properties, {@code INGEST_*} environment variables);
 * command-line options override them for one run.
 */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    /** Folder searched for aclImdb_v1.tar.gz (or aclImdb/) and the GloVe file: the shared data beside the checkout. */
    @WithDefault("../shared/data")
    Path dataDir();

    /** aclImdb_v1.tar.gz, its extracted folder, or Keras' imdb.npz; by default found in data-dir or cache-dir. */
    Optional<Path> source();

    /** Keras' imdb_word_index.json for an imdb.npz source; by default beside the npz. */
    Optional<Path> wordIndex();

    /** Where --download puts the official archives (checksums verified). */
    @WithDefault("${user.home}/.cache/imdb-stream")
    Path cacheDir();

    /** Fetch missing data files from their publishers into cache-dir. */
    @WithDefault("false")
    boolean download();

    /** Publish the 50,000 unlabelled reviews to imdb.unsup too. */
    @WithDefault("false")
    boolean includeUnsup();

    /**
     * Carry the raw review text in the records (for demos that stream real text to the scorer). Off by
     * default: it doubles the topics' size and every trainer reads only the ids.
     */
    @WithDefault("false")
    boolean includeText();

    /** Seeds the shuffle of each split (the records' index) and the embedding matrix' random rows. */
    @WithDefault("113")
    long seed();

    Preprocess preprocessing();

    Glove glove();

    Word2Vec word2vec();

    SentenceEncoder sentenceEncoder();

    Kafka kafka();

    /** Tokenization, vocabulary and padding (the notebook's: Keras' num_words=10000, pad_sequences maxlen=150). */
    interface Preprocess {
        /** Every word id is below this: 0 padding, 1 start, 2 OOV, words from 3. */
        @WithDefault("10000")
        int numWords();

        /** Length of every sequence after padding/truncation. */
        @WithDefault("150")
        int maxLen();

        /** pre or post: where padding goes. */
        @WithDefault("pre")
        String padding();

        /** pre or post: which end of a long review is cut. */
        @WithDefault("pre")
        String truncating();
    }

    interface Glove {
        /** Build and publish the GloVe embedding matrix. */
        @WithDefault("true")
        boolean enabled();

        /** GloVe .txt, .txt.gz, glove.6B.zip or folder; by default found in data-dir or cache-dir. */
        Optional<Path> path();

        /** Vector dimension; a file of another dimension is an error. */
        @WithDefault("100")
        int dim();

        /** Embedding name in imdb.embeddings' key; by default from the file name, e.g. glove.6B.100d. */
        Optional<String> name();
    }

    /** In-domain word vectors trained on the training and unlabelled reviews (never the test ones). */
    interface Word2Vec {
        /** Train word2vec vectors and publish them beside GloVe's (reads the unlabelled reviews even without unsup). */
        @WithDefault("false")
        boolean enabled();

        /** Embedding name in imdb.embeddings' key and the manifest; by default word2vec-imdb-<vector-size>d. */
        Optional<String> name();

        /** Dimension of the vectors (GloVe's 100, so the notebook's network takes either). */
        @WithDefault("100")
        int vectorSize();

        /** Words each side of a word that are its context. */
        @WithDefault("5")
        int window();

        /** Words seen fewer times in the training and unlabelled reviews get no vector (a random row). */
        @WithDefault("5")
        int minWordFrequency();

        /** Passes over the corpus. */
        @WithDefault("5")
        int epochs();

        /** Negative samples per word and context (skip-gram with negative sampling). */
        @WithDefault("5")
        int negative();

        /**
         * Seeds the vectors' initialisation and sampling; by default ingest.seed. (No thread count: DL4J
         * 1.0.0-M2.1 trains word2vec on one thread, so the same seed gives the same vectors.)
         */
        Optional<Long> seed();
    }

    /**
     * Every train and test review encoded once by a frozen sentence encoder (dev.imdbstream.encoder) and published to
     * imdb.review-embeddings, for the encoder variants (minilm-logreg). Reviews already there are not encoded again.
     */
    interface SentenceEncoder {
        /** Encode the reviews after the data set is published (tens of minutes of CPU for 50,000 reviews). */
        @WithDefault("false")
        boolean enabled();

        /** The encoder, as dev.imdbstream.encoder.SentenceEncoder names it. */
        @WithDefault("all-minilm-l6-v2-w256")
        String name();

        /** Reviews encoded at once; by default one per available processor. */
        Optional<Integer> threads();
    }

    interface Kafka {
        /** Brokers to publish to. */
        @WithDefault("localhost:9092")
        String bootstrapServers();

        /** Bound on reaching the broker and on each request. */
        @WithDefault("30s")
        Duration timeout();

        /** Extra producer settings (compression, batching); idempotence, acks and sizes are fixed by the ingestor. */
        Map<String, String> producer();

        /**
         * Create missing topics with the settings of {@code Topics}; false only checks that the topics it writes exist
         * (a secured cluster, where an administrator creates topics and the ingestor may only write {@code imdb.*}).
         */
        @WithDefault("true")
        boolean createTopics();
    }
}
