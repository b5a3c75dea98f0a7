package dev.imdbstream.ingestor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.imdbstream.common.schema.VocabularyRecord;

/**
 * What a run did: the manifest it published (or would have, in a dry run) and how long each phase took.
 *
 * @param published  true when the manifest reached {@code imdb.vocab}
 * @param seconds    per phase, in order, plus {@code total}
 */
public record Summary(VocabularyRecord manifest, boolean published, List<String> topics,
        Map<String, Double> seconds, long peakHeapBytes) {

    public Summary {
        seconds = new LinkedHashMap<>(seconds);
    }
}
