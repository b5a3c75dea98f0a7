package dev.imdbstream.trainer.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The code revision recorded in artifacts: configured ({@code trainer.runs.code-revision}), else the
 * {@code GIT_COMMIT} environment variable, else the commit the trainer was built from ({@link #built()}),
 * else {@code unknown}.
 */
public final class CodeRevision {

    /** Filled in by the build: see trainer/pom.xml. */
    private static final String RESOURCE = "revision.properties";
    private static final String UNKNOWN = "unknown";

    private CodeRevision() {
    }

    public static String detect() {
        String env = System.getenv("GIT_COMMIT");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        return built();
    }

    /**
     * The commit of the build, as {@code git rev-parse --short=12 HEAD} gave it, with {@code -dirty} when
     * {@code git status} listed changed or untracked files; {@code unknown} when the build knew none (no .git and
     * no {@code -Dgit.commit.id.abbrev}).
     */
    public static String built() {
        Properties p = new Properties();
        try (InputStream in = CodeRevision.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String commit = p.getProperty("commit", "").trim();
        // An unfiltered resource (an IDE's own build) still says ${...}.
        if (commit.isEmpty() || commit.contains("${")) {
            return UNKNOWN;
        }
        return Boolean.parseBoolean(p.getProperty("dirty", "false").trim()) ? commit + "-dirty" : commit;
    }
}
