package dev.imdbstream.scorer.model;

import java.util.ArrayList;
import java.util.List;

import dev.imdbstream.encoder.SentenceEncoder;

/**
 * The models that score reviews at one moment. Immutable: a scoring thread takes one snapshot per micro-batch, so
 * every review of a batch is scored by the same models while the registry swaps in new ones.
 *
 * @param version increases with every change of the selection
 */
public record ModelSnapshot(List<LoadedModel> models, long version) {

    public static final ModelSnapshot EMPTY = new ModelSnapshot(List.of(), 0);

    public ModelSnapshot {
        models = List.copyOf(models);
    }

    public boolean isEmpty() {
        return models.isEmpty();
    }

    public List<String> modelIds() {
        return models.stream().map(m -> m.info().modelId()).toList();
    }

    /**
     * Wraps loaded models, pointing each at the first earlier one with an equal vocabulary and the same input, or the
     * same sentence encoder.
     */
    static ModelSnapshot of(List<LoadedModel> models, long version) {
        List<LoadedModel> linked = new ArrayList<>(models.size());
        for (int i = 0; i < models.size(); i++) {
            LoadedModel m = models.get(i);
            int encoder = i;
            for (int j = 0; j < i; j++) {
                if (sameEncoding(models.get(j), m)) {
                    encoder = j;
                    break;
                }
            }
            linked.add(new LoadedModel(m.info(), m.model(), encoder));
        }
        return new ModelSnapshot(linked, version);
    }

    private static boolean sameEncoding(LoadedModel a, LoadedModel b) {
        if (a.model().sentenceEncoder().isPresent() || b.model().sentenceEncoder().isPresent()) {
            return a.model().sentenceEncoder().map(SentenceEncoder::name)
                    .equals(b.model().sentenceEncoder().map(SentenceEncoder::name));
        }
        return a.model().readsWholeReview() == b.model().readsWholeReview()
                && a.model().vocabulary().preprocessing().equals(b.model().vocabulary().preprocessing())
                && a.model().vocabulary().words().equals(b.model().vocabulary().words());
    }
}
