package dev.imdbstream.ingestor;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines and the summary on the console: the CLI's output, not logging. */
final class Console {

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Console(PrintStream out) {
        this.out = out;
    }

    void line(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }

    /** Seconds since the run started. */
    double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
