package dev.imdbstream.trainer.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The code revision recorded in artifacts: configured ({@code trainer.runs.code-revision}), else the
 * {@code GIT_COMMIT} environment variable, else {@code git rev-parse} of the working directory (with
 * {@code -dirty} when there are uncommitted changes), else {@code unknown}.
 */
public final class CodeRevision {

    private CodeRevision() {
    }

    public static String detect() {
        String env = System.getenv("GIT_COMMIT");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        String rev = git("rev-parse", "--short=12", "HEAD");
        if (rev == null || rev.isBlank()) {
            return "unknown";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return status != null && !status.isBlank() ? rev + "-dirty" : rev;
    }

    private static String git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
