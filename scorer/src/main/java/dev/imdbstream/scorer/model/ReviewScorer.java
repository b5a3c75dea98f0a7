package dev.imdbstream.scorer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.scorer.input.RejectReason;
import dev.imdbstream.scorer.input.Rejection;
import dev.imdbstream.scorer.input.ReviewRequest;
import dev.imdbstream.scorer.metrics.ScorerMetrics;
import dev.imdbstream.scorer.model.ScoringModel.EncodedText;

/**
 * Scores a micro-batch of reviews with every model of one {@link ModelSnapshot}: each review is encoded with the
 * vocabulary and padding rules that travel with the model (or, for a model of the text, by its sentence encoder),
 * once per distinct encoding, and each model runs one inference pass over the whole batch. Used by the stream and by
 * {@code POST /score}, so both give the same answer. Thread-safe.
 */
public final class ReviewScorer {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewScorer.class);

    private final ScorerMetrics metrics;

    public ReviewScorer(ScorerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The fate of one review: a prediction, or a rejection for the DLQ. */
    public record Outcome(Prediction prediction, Rejection rejection) {
        public boolean scored() {
            return prediction != null;
        }
    }

    /**
     * @param timestampsMs each review's record timestamp, the start of its latency
     * @return one outcome per request, in order
     */
    public List<Outcome> score(ModelSnapshot snapshot, List<ReviewRequest> requests, long[] timestampsMs) {
        int n = requests.size();
        if (snapshot.isEmpty()) {
            throw new IllegalArgumentException("no models to score with");
        }
        List<LoadedModel> models = snapshot.models();
        Rejection[] rejected = new Rejection[n];
        int[][][] encoded = new int[models.size()][][];
        EncodedText[][] texts = new EncodedText[models.size()][];
        for (int i = 0; i < models.size(); i++) {
            LoadedModel m = models.get(i);
            if (m.model().sentenceEncoder().isPresent()) {
                texts[i] = m.encoder() == i ? embed(m, requests, rejected) : texts[m.encoder()];
            } else {
                encoded[i] = m.encoder() == i ? encode(m, requests, rejected) : encoded[m.encoder()];
            }
        }
        rejectUnscorable(models, requests, rejected);

        double[][] probabilities = new double[models.size()][];
        metrics.batchScored(n);
        for (int i = 0; i < models.size(); i++) {
            LoadedModel m = models.get(i);
            probabilities[i] = texts[i] != null
                    ? predict(m, texts[i], rejected, m.model()::predictTexts, EncodedText[]::new)
                    : predict(m, encoded[i], rejected, m.model()::predict, int[][]::new);
        }

        long scoredAtMs = System.currentTimeMillis();
        List<Outcome> outcomes = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            if (rejected[r] != null) {
                outcomes.add(new Outcome(null, rejected[r]));
                continue;
            }
            List<Prediction.ModelScore> scores = new ArrayList<>(models.size());
            for (int i = 0; i < models.size(); i++) {
                if (texts[i] != null && texts[i][r] == null) {
                    continue; // a review sent as token ids: a model of the text does not score it
                }
                ModelInfo info = models.get(i).info();
                double p = probabilities[i][r];
                scores.add(new Prediction.ModelScore(info.modelId(), info.variant(), info.subsetSize(), p, p >= 0.5 ? 1 : 0));
            }
            ReviewRequest request = requests.get(r);
            outcomes.add(new Outcome(new Prediction(Prediction.VERSION, request.id(), List.copyOf(scores), request.label(),
                    Math.max(0, scoredAtMs - timestampsMs[r]), scoredAtMs), null));
        }
        return outcomes;
    }

    /**
     * Token ids of each review for this model: a sequence as sent (padded, the networks' input), or the text encoded
     * as the model reads it; rejects reviews it cannot take.
     */
    private static int[][] encode(LoadedModel m, List<ReviewRequest> requests, Rejection[] rejected) {
        Vocabulary vocabulary = m.model().vocabulary();
        int[][] out = new int[requests.size()][];
        for (int r = 0; r < out.length; r++) {
            if (rejected[r] != null) {
                continue;
            }
            ReviewRequest request = requests.get(r);
            int[] sequence = request.isSequence() ? request.tokens() : m.model().encodeText(request.text());
            String problem = request.isSequence() ? vocabulary.validate(sequence) : vocabulary.validateIds(sequence);
            if (problem != null) {
                rejected[r] = new Rejection(RejectReason.INVALID_SEQUENCE, "model " + m.info().modelId() + ": " + problem);
            } else {
                out[r] = sequence;
            }
        }
        return out;
    }

    /**
     * Each review's text and vector for a model of the text ({@link ScoringModel#sentenceEncoder()}): null for a review
     * sent as token ids, which such a model cannot read (the other models still score it).
     */
    private static EncodedText[] embed(LoadedModel m, List<ReviewRequest> requests, Rejection[] rejected) {
        EncodedText[] out = new EncodedText[requests.size()];
        for (int r = 0; r < out.length; r++) {
            ReviewRequest request = requests.get(r);
            if (rejected[r] == null && !request.isSequence()) {
                try {
                    out[r] = new EncodedText(request.text(),
                            m.model().sentenceEncoder().orElseThrow().encode(request.text()));
                } catch (RuntimeException e) {
                    LOG.error("model {} cannot encode a review: {}", m.info().modelId(), e.toString(), e);
                    rejected[r] = new Rejection(RejectReason.SCORING_FAILED, "model " + m.info().modelId() + ": " + e);
                }
            }
        }
        return out;
    }

    /** Rejects a review sent as token ids when every model reads text: none could score it. */
    private static void rejectUnscorable(List<LoadedModel> models, List<ReviewRequest> requests, Rejection[] rejected) {
        if (models.stream().allMatch(m -> m.model().sentenceEncoder().isPresent())) {
            for (int r = 0; r < rejected.length; r++) {
                if (rejected[r] == null && requests.get(r).isSequence()) {
                    rejected[r] = new Rejection(RejectReason.INVALID_SEQUENCE, "the models in use read the review's"
                            + " text, not token ids: send {\"id\": ..., \"text\": ...}");
                }
            }
        }
    }

    /**
     * One inference pass over the reviews not rejected so far that have an input for this model. Should it fail, each
     * review is retried alone so that only the ones the model cannot score are rejected.
     */
    private <T> double[] predict(LoadedModel m, T[] inputs, Rejection[] rejected, Function<T[], double[]> model,
            IntFunction<T[]> newArray) {
        double[] out = new double[inputs.length];
        Arrays.fill(out, Double.NaN);
        int[] rows = new int[inputs.length];
        int count = 0;
        for (int r = 0; r < inputs.length; r++) {
            if (rejected[r] == null && inputs[r] != null) {
                rows[count++] = r;
            }
        }
        if (count == 0) {
            return out;
        }
        T[] batch = newArray.apply(count);
        for (int k = 0; k < count; k++) {
            batch[k] = inputs[rows[k]];
        }
        long started = System.nanoTime();
        try {
            double[] p = model.apply(batch);
            for (int k = 0; k < count; k++) {
                out[rows[k]] = p[k];
            }
        } catch (RuntimeException e) {
            LOG.warn("model {} failed on a batch of {}, scoring its reviews one by one: {}", m.info().modelId(), count,
                    e.toString());
            for (int k = 0; k < count; k++) {
                T[] one = newArray.apply(1);
                one[0] = batch[k];
                try {
                    out[rows[k]] = model.apply(one)[0];
                } catch (RuntimeException single) {
                    LOG.error("model {} cannot score a review: {}", m.info().modelId(), single.toString(), single);
                    rejected[rows[k]] = new Rejection(RejectReason.SCORING_FAILED,
                            "model " + m.info().modelId() + ": " + single);
                }
            }
        }
        metrics.inferenceTime(m.info().modelId(), System.nanoTime() - started);
        return out;
    }
}
