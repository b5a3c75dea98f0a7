package dev.imdbstream.trainer.data;

import java.util.Map;

/**
 * One split of one data set as read from its topic: padded sequences and labels by the reviews' {@code index}
 * field, with the records that could not be used (and why). Immutable once built; shared by every run.
 *
 * @param tokens    by index; null where no record with that index was read
 * @param allTokens by index, every id of the review ({@code ReviewSequence.allTokens}); null where the record has none
 * @param problems  reasons why the record at an index is unusable (bad record)
 * @param offsets   the end offsets the split was read up to, per partition (provenance)
 */
public record Split(String topic, String datasetId, int size, int[][] tokens, int[][] allTokens, int[] labels, String[] ids,
        Map<Integer, String> problems, Map<Integer, Long> offsets) {

    /** The reason why the review at {@code index} cannot be used, or null when it can. */
    public String problem(int index) {
        if (index < 0 || index >= size) {
            return "index " + index + " outside the split of " + size;
        }
        String p = problems.get(index);
        if (p != null) {
            return "bad record " + ids[index] + " on " + topic + ": " + p;
        }
        if (tokens[index] == null) {
            return "missing data: no review with index " + index + " of data set " + datasetId + " on " + topic;
        }
        return null;
    }
}
