package dev.imdbstream.scorer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.imdbstream.common.schema.Prediction;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.scorer.input.RejectReason;
import dev.imdbstream.scorer.input.Rejection;
import dev.imdbstream.scorer.input.ReviewRequest;
import dev.imdbstream.scorer.metrics.ScorerMetrics;

/**
 * Scores a micro-batch of reviews with every model of one {@link ModelSnapshot}: each review is encoded with the
 * vocabulary and padding rules that travel with the model, and each model runs one inference pass over the whole
 * batch. Used by the stream and by {@code POST /score}, so both give the same answer. Thread-safe.
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
        for (int i = 0; i < models.size(); i++) {
            LoadedModel m = models.get(i);
            encoded[i] = m.encoder() == i ? encode(m, requests, rejected) : encoded[m.encoder()];
        }

        double[][] probabilities = new double[models.size()][];
        metrics.batchScored(n);
        for (int i = 0; i < models.size(); i++) {
            probabilities[i] = predict(models.get(i), encoded[i], rejected);
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
     * One inference pass over the reviews not rejected so far. Should it fail, each review is retried alone so that
     * only the ones the model cannot score are rejected.
     */
    private double[] predict(LoadedModel m, int[][] encoded, Rejection[] rejected) {
        double[] out = new double[encoded.length];
        Arrays.fill(out, Double.NaN);
        int[] rows = new int[encoded.length];
        int count = 0;
        for (int r = 0; r < encoded.length; r++) {
            if (rejected[r] == null) {
                rows[count++] = r;
            }
        }
        if (count == 0) {
            return out;
        }
        int[][] batch = new int[count][];
        for (int k = 0; k < count; k++) {
            batch[k] = encoded[rows[k]];
        }
        long started = System.nanoTime();
        try {
            double[] p = m.model().predict(batch);
            for (int k = 0; k < count; k++) {
                out[rows[k]] = p[k];
            }
        } catch (RuntimeException e) {
            LOG.warn("model {} failed on a batch of {}, scoring its reviews one by one: {}", m.info().modelId(), count,
                    e.toString());
            for (int k = 0; k < count; k++) {
                try {
                    out[rows[k]] = m.model().predict(new int[][] {batch[k]})[0];
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
