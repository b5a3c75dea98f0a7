package dev.imdbstream.trainer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class CodeRevisionTest {

    @Test
    void shouldRecordTheCommitOfTheBuild() throws Exception {
        String head = git("rev-parse", "--short=12", "HEAD");
        assumeThat(head).as("a git checkout").isNotNull();
        String status = git("status", "--porcelain");

        assertThat(CodeRevision.built()).isEqualTo(status.isEmpty() ? head : head + "-dirty");
    }

    private static String git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;    // no git here
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    }
}
