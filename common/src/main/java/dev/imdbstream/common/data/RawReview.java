package dev.imdbstream.common.data;

/**
 * One review as read from a source, before tokenization.
 *
 * @param label  1 positive, 0 negative, -1 unlabelled
 * @param rating the star rating from aclImdb's file name {@code <id>_<rating>.txt} (1-10), 0 when unknown
 *               (unlabelled reviews, or sources such as Keras' npz that do not carry it)
 * @param fileId the number before the underscore in aclImdb's file name (unique within split and label)
 */
public record RawReview(ImdbSplit split, int label, int rating, int fileId, String text) {

    public static final int UNLABELLED = -1;

    /** The stable review id of {@code ReviewSequence}: {@code <split>/<pos|neg|unsup>/<file id>}. */
    public String id() {
        return id(split, label, fileId);
    }

    public static String id(ImdbSplit split, int label, int fileId) {
        return split.wireName() + "/" + labelFolder(label) + "/" + fileId;
    }

    /** aclImdb's folder name for a label. */
    public static String labelFolder(int label) {
        return switch (label) {
            case 1 -> "pos";
            case 0 -> "neg";
            case UNLABELLED -> "unsup";
            default -> throw new IllegalArgumentException("label must be 1, 0 or -1, was " + label);
        };
    }
}
