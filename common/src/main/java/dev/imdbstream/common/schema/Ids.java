package dev.imdbstream.common.schema;

import java.util.regex.Pattern;

/**
 * The identifiers records carry, checked before they become file names (report and checkpoint folders), metric
 * labels or keys. Records on the topics are untrusted input: an id is one path segment of a few safe characters,
 * never {@code .}, {@code ..} or anything with a separator.
 */
public final class Ids {

    /** An experiment id: letters, digits, {@code -} and {@code _}, up to 100 (no {@code .}: it separates a job id's parts). */
    public static final Pattern EXPERIMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    /** An embedding variant: lower-case letters, digits and {@code -}, up to 40. */
    public static final Pattern VARIANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    /** Any other id (job, model, data set, embedding): letters, digits, {@code .}, {@code _}, {@code -}, up to 200. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private Ids() {
    }

    public static boolean isExperimentId(String id) {
        return id != null && EXPERIMENT.matcher(id).matches();
    }

    public static boolean isName(String id) {
        return id != null && NAME.matcher(id).matches();
    }

    /**
     * Returns {@code id} when it matches {@code pattern}.
     *
     * @throws IllegalArgumentException naming {@code what} and the rule, with the offending value shortened
     */
    public static String require(String what, String id, Pattern pattern) {
        if (id == null || !pattern.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " " + shown(id) + " does not match " + pattern.pattern());
        }
        return id;
    }

    /** An untrusted value as it may appear in a log line: quoted, at most 80 characters, control characters escaped. */
    public static String shown(String value) {
        if (value == null) {
            return "null";
        }
        String s = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append('\'').toString();
    }
}
