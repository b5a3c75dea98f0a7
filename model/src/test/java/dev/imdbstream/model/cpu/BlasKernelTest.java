package dev.imdbstream.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel type a process computes with, and the rule that chooses it: in Java ({@link BlasKernel#bestFor}) and in
 * the launchers' {@code bin/lib/blas-kernel.sh}, which must agree.
 */
@Tag(BlasKernelCondition.TAG)
class BlasKernelTest {

    private static final Path SCRIPT = Path.of("..", "bin", "lib", "blas-kernel.sh");

    @Test
    void shouldComputeWithTheKernelTheProcessWasStartedWith() {
        BlasKernel.Status status = BlasKernel.current();
        String requested = System.getenv("OPENBLAS_CORETYPE");
        // Set by the model's per-kernel surefire executions, with the variable; the default execution removes it.
        assertThat(requested).isEqualTo(System.getProperty("imdb.blas.kernel"));

        assertThat(status.loaded()).isNotNull().isNotEqualTo("unknown");
        if (requested != null) {
            assertThat(status.loaded()).isEqualToIgnoringCase(requested);
            assertThat(status.describe()).contains("kernel " + status.loaded(), "OPENBLAS_CORETYPE=" + requested);
        }
        assertThat(status.library()).startsWith("OpenBLAS ");
    }

    @Test
    void shouldChooseAKernelThisCpuRuns() {
        BlasKernel.Cpu cpu = BlasKernel.Cpu.read();
        String best = BlasKernel.bestForThisCpu();

        if (cpu != null && best != null) {
            assertThat(BlasKernel.runsOn(best, cpu.flags())).isTrue();
            assertThat(BlasKernel.CHOSEN).contains(best);
        }
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "AuthenticAMD | fpu sse2 pni ssse3 fma avx avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16 | SkylakeX",
        "GenuineIntel | fpu sse2 pni fma avx avx2 avx512f avx512cd avx512bw avx512dq avx512vl | SkylakeX",
        "GenuineIntel | fpu sse2 pni fma avx avx2 avx512f avx512cd avx512er avx512pf | Haswell",
        "GenuineIntel | fpu sse2 pni fma avx avx2 | Haswell",
        "AuthenticAMD | fpu sse2 pni fma avx avx2 | Zen",
        "HygonGenuine | fpu sse2 pni fma avx avx2 | Zen",
        "GenuineIntel | fpu sse2 pni avx | Sandybridge",
        "GenuineIntel | fpu sse2 pni ssse3 | Prescott",
        "- | fp asimd evtstrm aes | -"})
    void shouldChooseAsTheLaunchersDo(String vendor, String flags, String expected, @TempDir Path dir)
            throws IOException, InterruptedException {
        // Linux on x86 names the flags "flags"; on arm64 they are "Features", and there is no vendor_id.
        String cpuinfo = vendor == null ? "processor\t: 0\nFeatures\t: " + flags + "\n"
                : "processor\t: 0\nvendor_id\t: " + vendor + "\nflags\t\t: " + flags + "\n\nprocessor\t: 1\n";
        Path file = Files.writeString(dir.resolve("cpuinfo"), cpuinfo);

        BlasKernel.Cpu cpu = BlasKernel.Cpu.parse(List.of(cpuinfo.split("\n")));
        String java = cpu == null ? null : BlasKernel.bestFor(cpu.vendor(), cpu.flags());
        String script = runScript(file);

        assertThat(java).isEqualTo(expected);
        assertThat(script).isEqualTo(expected == null ? "" : expected);
        if (expected != null) {
            assertThat(BlasKernel.runsOn(expected, Set.of(flags.split(" ")))).isTrue();
        }
    }

    private static String runScript(Path cpuinfo) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().remove("IMDB_BLAS_KERNEL");
        pb.environment().put("BLAS_KERNEL_CPUINFO", cpuinfo.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
