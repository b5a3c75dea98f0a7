package dev.imdbstream.common.data;

/** The parts of the IMDB data set, named as on the wire ({@code ReviewSequence.split}) and in aclImdb's folders. */
public enum ImdbSplit {
    TRAIN("train"), TEST("test"), UNSUP("unsup");

    private final String wireName;

    ImdbSplit(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean labelled() {
        return this != UNSUP;
    }
}
