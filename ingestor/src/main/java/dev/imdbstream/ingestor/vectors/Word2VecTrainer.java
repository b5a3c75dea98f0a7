package dev.imdbstream.ingestor.vectors;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.models.sequencevectors.SequenceVectors;
import org.deeplearning4j.models.sequencevectors.enums.ListenerEvent;
import org.deeplearning4j.models.sequencevectors.interfaces.SequenceIterator;
import org.deeplearning4j.models.sequencevectors.interfaces.VectorsListener;
import org.deeplearning4j.models.sequencevectors.sequence.Sequence;
import org.deeplearning4j.models.word2vec.VocabWord;
import org.deeplearning4j.models.word2vec.Word2Vec;

import dev.imdbstream.common.data.AlignedEmbedding;
import dev.imdbstream.common.text.Tokenizer;
import dev.imdbstream.common.text.Vocabulary;
import dev.imdbstream.ingestor.data.Corpus;

/**
 * Trains in-domain word vectors with DL4J's {@link Word2Vec} on a {@link Corpus} (the training and unlabelled
 * reviews, already tokenized by the project's {@link Tokenizer}: the words go in as they are, DL4J tokenizes
 * nothing) and aligns them with the vocabulary as an {@link AlignedEmbedding}: row i = the vector of word id i,
 * words without a vector (fewer than minWordFrequency occurrences in the corpus) keep the seeded random rows.
 * <p>
 * Threads and reproducibility: DL4J 1.0.0-M2.1 trains with a single calculation thread whatever its
 * {@code workers} setting says (its {@code SequenceVectors.fit} starts one {@code VectorCalculationsThread}; a
 * second thread only feeds it the sequences), so the cost grows with the corpus times the epochs and more cores do
 * not help. The same corpus, settings and seed give the same vectors (tested on a small corpus); what would break
 * that is a DL4J version that trains on several threads without locks, as word2vec's C code does.
 */
public final class Word2VecTrainer {

    private static final int PROGRESS_EVERY = 25_000;

    /** Receives progress lines while the vectors train. */
    public interface Progress {
        void line(String format, Object... args);
    }

    private Word2VecTrainer() {
    }

    /**
     * @param initSeed seeds the random rows of the words without a vector (as GloVe's gaps)
     */
    public static AlignedEmbedding train(Corpus corpus, Vocabulary vocabulary, Word2VecSettings settings,
            long initSeed, Progress progress) {
        long started = System.nanoTime();
        long tokens = corpus.tokens();
        StringBuilder splits = new StringBuilder();
        corpus.reviews().forEach((split, n) -> splits.append(splits.isEmpty() ? "" : " + ")
                .append(String.format(Locale.ROOT, "%,d %s", n, split)));
        progress.line("training word2vec %s on %,d reviews (%s), %,d tokens: %dd, %d epochs, one thread",
                settings.name(), corpus.sequences().size(), splits, tokens, settings.vectorSize(), settings.epochs());
        Word2Vec vectors = new Word2Vec.Builder()
                .layerSize(settings.vectorSize())
                .windowSize(settings.window())
                .minWordFrequency(settings.minWordFrequency())
                .epochs(settings.epochs())
                .iterations(1)
                .negativeSample(settings.negative())
                .useHierarchicSoftmax(false)
                .seed(settings.seed())
                .stopWords(List.<String>of())
                .iterate(new CorpusIterator(corpus, started, progress))
                .setVectorsListeners(List.of(new EpochProgress(settings.epochs(), started, progress)))
                .build();
        vectors.fit();
        double seconds = (System.nanoTime() - started) / 1e9;

        AlignedEmbedding.Builder matrix = AlignedEmbedding.builder(vocabulary, settings.vectorSize(), initSeed);
        for (int id = vocabulary.preprocessing().indexFrom(); id < vocabulary.size(); id++) {
            String word = vocabulary.word(id);
            if (word != null && vectors.hasWord(word)) {
                matrix.put(id, vectors.getWordVectorMatrix(word).toFloatVector());
            }
        }
        Map<String, String> provenance = settings.provenance();
        provenance.put("tokenizer", Tokenizer.NAME);
        provenance.put("corpus", "train + unsup reviews (never test)");
        corpus.reviews().forEach((split, n) -> provenance.put("reviews." + split, Integer.toString(n)));
        provenance.put("tokens", Long.toString(tokens));
        provenance.put("word2vecVocabulary", Integer.toString(vectors.getVocab().numWords()));
        provenance.put("trainingSeconds", String.format(Locale.ROOT, "%.1f", seconds));
        provenance.put("trainingThreads", "1");
        provenance.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        String entry = String.format(Locale.ROOT, "word2vec %dd trained on %,d train + unsup reviews (%,d tokens)",
                settings.vectorSize(), corpus.sequences().size(), tokens);
        return matrix.build(entry, entry, provenance);
    }

    /** The corpus as DL4J sequences, one a review; {@link #reset()} starts the next pass. */
    private static final class CorpusIterator implements SequenceIterator<VocabWord> {
        private final Corpus corpus;
        private final long started;
        private final Progress progress;
        private int next;
        private int pass;

        CorpusIterator(Corpus corpus, long started, Progress progress) {
            this.corpus = corpus;
            this.started = started;
            this.progress = progress;
        }

        @Override
        public boolean hasMoreSequences() {
            return next < corpus.sequences().size();
        }

        @Override
        public Sequence<VocabWord> nextSequence() {
            int[] ids = corpus.sequences().get(next++);
            Sequence<VocabWord> sequence = new Sequence<>();
            for (int id : ids) {
                sequence.addElement(new VocabWord(1.0, corpus.words().get(id)));
            }
            if (next % PROGRESS_EVERY == 0) {
                // The first pass builds word2vec's vocabulary; each later one is an epoch.
                progress.line("  word2vec %s: %,d / %,d reviews (%.1f s)", pass == 0 ? "vocabulary" : "epoch " + pass,
                        next, corpus.sequences().size(), (System.nanoTime() - started) / 1e9);
            }
            return sequence;
        }

        @Override
        public void reset() {
            if (next > 0) {
                pass++;
            }
            next = 0;
        }
    }

    private static final class EpochProgress implements VectorsListener<VocabWord> {
        private final int epochs;
        private final long started;
        private final Progress progress;

        EpochProgress(int epochs, long started, Progress progress) {
            this.epochs = epochs;
            this.started = started;
            this.progress = progress;
        }

        @Override
        public boolean validateEvent(ListenerEvent event, long argument) {
            return event == ListenerEvent.EPOCH;
        }

        @Override
        public void processEvent(ListenerEvent event, SequenceVectors<VocabWord> vectors, long argument) {
            // DL4J counts epochs from 1 here.
            progress.line("  word2vec epoch %d / %d done (%.1f s)", argument, epochs,
                    (System.nanoTime() - started) / 1e9);
        }
    }
}
