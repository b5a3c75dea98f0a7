package dev.imdbstream.trainer.data;

import java.util.List;
import java.util.Optional;

import dev.imdbstream.common.schema.VocabularyRecord;
import dev.imdbstream.common.schema.VocabularyRecord.EmbeddingCoverage;

/**
 * An embedding variant of the study: {@code random} (random init), {@code glove} (the configured GloVe
 * matrix of the data set), or any embedding name the manifest lists; the suffix {@code -frozen} freezes the
 * embedding layer.
 *
 * @param embedding the name of the imdb.embeddings matrix that initialises the layer, empty for random
 */
public record Variant(String name, Optional<String> embedding, boolean frozen) {

    public static final String RANDOM = "random";
    public static final String GLOVE = "glove";
    private static final String FROZEN = "-frozen";

    /** Resolves a variant name against the embeddings a data set offers. */
    public static Variant resolve(String name, VocabularyRecord manifest, String gloveEmbedding) throws DataException {
        boolean frozen = name.endsWith(FROZEN);
        String base = frozen ? name.substring(0, name.length() - FROZEN.length()) : name;
        if (RANDOM.equals(base)) {
            return new Variant(name, Optional.empty(), frozen);
        }
        List<EmbeddingCoverage> offered = manifest.embeddings() == null ? List.of() : manifest.embeddings();
        Optional<String> match = offered.stream().map(EmbeddingCoverage::name).filter(base::equals).findFirst();
        if (match.isEmpty() && GLOVE.equals(base)) {
            match = offered.stream().map(EmbeddingCoverage::name).filter(gloveEmbedding::equals).findFirst()
                    .or(() -> offered.stream().map(EmbeddingCoverage::name).filter(n -> n.startsWith(GLOVE)).findFirst());
        }
        if (match.isEmpty()) {
            throw new DataException("missing data: variant " + name + " needs an embedding that data set "
                    + manifest.datasetId() + " does not offer (offered: "
                    + offered.stream().map(EmbeddingCoverage::name).toList() + ")");
        }
        return new Variant(name, match, frozen);
    }
}
