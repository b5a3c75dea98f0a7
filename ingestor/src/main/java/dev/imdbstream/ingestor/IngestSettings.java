package dev.imdbstream.ingestor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.imdbstream.common.kafka.KafkaSecurity;
import dev.imdbstream.common.schema.Preprocessing;
import dev.imdbstream.ingestor.vectors.ReviewEncodingJob;
import dev.imdbstream.ingestor.vectors.Word2VecSettings;

/**
 * The effective settings of one run: {@link dev.imdbstream.ingestor.config.IngestConfig} with the command
 * line's overrides applied.
 *
 * @param dryRun    prepare and summarise, publish nothing (no broker needed)
 * @param security  how the clients authenticate and encrypt ({@code kafka.*})
 * @param createTopics create missing topics; false: only check that the topics written exist
 * @param word2vec  train and publish word2vec vectors with these settings; empty: none
 * @param sentenceEncoder encode every train and test review with this encoder and publish the vectors; empty: none
 */
public record IngestSettings(Path dataDir, Optional<Path> source, Optional<Path> wordIndex, Path cacheDir,
        boolean download, boolean includeUnsup, boolean includeText, long seed, Preprocessing preprocessing,
        boolean gloveEnabled, Optional<Path> glovePath, int gloveDim, Optional<String> gloveName,
        String bootstrapServers, Duration timeout, Map<String, String> producer, boolean dryRun,
        KafkaSecurity security, boolean createTopics, Optional<Word2VecSettings> word2vec,
        Optional<ReviewEncodingJob.Settings> sentenceEncoder) {
}
