package dev.imdbstream.model.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which OpenBLAS kernel type ND4J's CPU backend computes with, and which one this CPU allows at best.
 *
 * <p>OpenBLAS picks its kernel type once, when the library loads: the one {@code OPENBLAS_CORETYPE} names, else the one
 * its own CPU detection finds. The version ND4J 1.0.0-M2.1 bundles (0.3.19; the newest JavaCPP build, 0.3.28, is no
 * different) does not know CPUs newer than itself: an AMD Zen 5 (family 1Ah) gets Barcelona's SSE kernels, far slower
 * than its AVX-512 ones (docs/benchmarks.md). So the project chooses: its launchers ({@code bin/lib/blas-kernel.sh}, sourced by
 * {@code bin/lib/processes.sh} and run by the Docker image's entrypoint) set {@code OPENBLAS_CORETYPE} to the kernel
 * type of the widest vector instructions the CPU has, by the same rule as {@link #bestFor}; a process started another
 * way gets OpenBLAS' own choice, and {@link Status#describe()} says so.
 *
 * <p>Reading which kernel was loaded needs no native code of the project's: OpenBLAS keeps the kernel table in use in
 * its exported {@code gotoblas} pointer, which is compared with the address of each kernel type's table
 * ({@code gotoblas_SKYLAKEX}, ...), as {@code openblas_get_corename()} does (JavaCPP's preset does not map that one).
 */
public final class BlasKernel {

    /** Kernel types of OpenBLAS' x86-64 builds that the rule below can choose, widest vectors first. */
    public static final List<String> CHOSEN = List.of("SkylakeX", "Haswell", "Zen", "Sandybridge", "Prescott");

    /** OpenBLAS' own names of the x86-64 kernel types of its dynamic-architecture builds ({@code corename[]}). */
    private static final List<String> CORE_NAMES = List.of("Prescott", "Core2", "Nehalem", "Barcelona", "Sandybridge",
            "Bulldozer", "Piledriver", "Haswell", "Steamroller", "Excavator", "Zen", "SkylakeX", "Cooperlake", "Atom",
            "Katmai", "Coppermine", "Northwood", "Banias", "Athlon", "Opteron", "Opteron_SSE3", "Nano", "Bobcat",
            "Penryn", "Dunnington");

    private static final Logger LOG = LoggerFactory.getLogger(BlasKernel.class);

    private static volatile Status current;
    private static volatile boolean reported;

    private BlasKernel() {
    }

    /**
     * What a process got.
     *
     * @param library   the BLAS library ({@code OpenBLAS 0.3.19}), or a note when ND4J computes without OpenBLAS
     * @param loaded    the kernel type in use, null when there is no OpenBLAS
     * @param best      the kernel type {@link #bestFor} gives for this CPU, null when it cannot tell (not Linux on x86-64)
     * @param requested {@code OPENBLAS_CORETYPE} as this process was started with, null when unset
     */
    public record Status(String library, String loaded, String best, String requested) {

        /** Whether the kernel in use is the best this CPU allows (or nothing better is known). */
        public boolean isBest() {
            return loaded == null || best == null || best.equalsIgnoreCase(loaded);
        }

        /** One line for a log or a benchmark's header. */
        public String describe() {
            if (loaded == null) {
                return "BLAS: " + library;
            }
            String from = requested == null ? "OpenBLAS' own CPU detection" : "OPENBLAS_CORETYPE=" + requested;
            String line = String.format(Locale.ROOT, "BLAS: %s, kernel %s (%s)", library, loaded, from);
            if (best == null) {
                return line + "; best for this CPU unknown (not Linux on x86-64)";
            }
            if (isBest()) {
                return line + ", the best for this CPU";
            }
            return line + "; this CPU allows " + best + ", which is faster: start the JVM with OPENBLAS_CORETYPE="
                    + best + " (the project's launchers do, see bin/lib/blas-kernel.sh)";
        }
    }

    /** The kernel this process computes with; loads ND4J's backend (and so OpenBLAS) if it is not loaded yet. */
    public static Status current() {
        Status s = current;
        if (s == null) {
            s = read();
            current = s;
        }
        return s;
    }

    /**
     * {@link #current()}, logged once per process (a warning when the CPU allows a faster kernel): called where the
     * model is built or loaded ({@code SentimentNetwork}, {@code ServingModel}) and by the trainer at start-up.
     */
    public static Status report() {
        Status s = current();
        if (!reported) {
            reported = true;
            if (s.isBest()) {
                LOG.info(s.describe());
            } else {
                LOG.warn(s.describe());
            }
        }
        return s;
    }

    private static Status read() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        String best = bestForThisCpu();
        String requested = System.getenv("OPENBLAS_CORETYPE");
        if (!backend.equals("CpuBackend")) {
            return new Status("none (ND4J backend " + backend + ")", null, best, requested);
        }
        // The project's Blas calls the no-LAPACK build; ND4J loads the full one. Both read the same variable at load.
        Loader.load(openblas_nolapack.class);
        String library = openblas_nolapack.OPENBLAS_VERSION.trim();
        Pointer table = Loader.addressof("gotoblas");
        if (table == null) {
            return new Status(library + " (not a dynamic-architecture build)", "unknown", best, requested);
        }
        long address = new LongPointer(table).get();
        for (String name : CORE_NAMES) {
            Pointer kernel = Loader.addressof("gotoblas_" + name.toUpperCase(Locale.ROOT));
            if (kernel != null && kernel.address() == address) {
                return new Status(library, name, best, requested);
            }
        }
        return new Status(library, "unknown", best, requested);
    }

    /** {@link #bestFor} this machine's CPU, from {@code /proc/cpuinfo}; null where that cannot be read. */
    public static String bestForThisCpu() {
        Cpu cpu = Cpu.read();
        return cpu == null ? null : bestFor(cpu.vendor(), cpu.flags());
    }

    /**
     * The OpenBLAS kernel type of the widest vector instructions a CPU has: AVX-512 (with VL, as OpenBLAS itself
     * requires) SkylakeX, AVX2 Haswell (Zen on AMD/Hygon, as OpenBLAS detects Zen 1-3), AVX Sandybridge, else Prescott.
     * {@code bin/lib/blas-kernel.sh} applies the same rule (BlasKernelTest checks that they agree).
     *
     * @param vendor {@code vendor_id} of /proc/cpuinfo
     * @param flags  the {@code flags} of /proc/cpuinfo
     * @return the kernel type's name, null for a CPU that is not x86-64 ({@code flags} without {@code sse2})
     */
    public static String bestFor(String vendor, Set<String> flags) {
        if (!flags.contains("sse2")) {
            return null;
        }
        if (flags.contains("avx512vl") && flags.contains("avx2")) {
            return "SkylakeX";
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            return vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine") ? "Zen" : "Haswell";
        }
        if (flags.contains("avx")) {
            return "Sandybridge";
        }
        return "Prescott";
    }

    /** Whether a CPU can execute a kernel type of {@link #CHOSEN} (OpenBLAS 0.3.19 does not check a forced one). */
    public static boolean runsOn(String kernel, Set<String> flags) {
        return switch (kernel.toLowerCase(Locale.ROOT)) {
            case "skylakex" -> flags.contains("avx512vl") && flags.contains("avx512f") && flags.contains("avx2");
            case "haswell", "zen" -> flags.contains("avx2") && flags.contains("fma");
            case "sandybridge" -> flags.contains("avx");
            case "prescott" -> flags.contains("pni");
            default -> false;
        };
    }

    /** The CPU's vendor and flags as Linux reports them. */
    public record Cpu(String vendor, Set<String> flags) {

        /** This machine's, from {@code /proc/cpuinfo}; null where there is none or it has no flags (not x86). */
        public static Cpu read() {
            try {
                return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The first processor's {@code vendor_id} and {@code flags}; null without flags. */
        static Cpu parse(List<String> cpuinfo) {
            String vendor = "";
            Set<String> flags = null;
            for (String line : cpuinfo) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("vendor_id") && vendor.isEmpty()) {
                    vendor = value;
                } else if (key.equals("flags") && flags == null) {
                    flags = new HashSet<>(Arrays.asList(value.split("\\s+")));
                }
            }
            return flags == null ? null : new Cpu(vendor, Set.copyOf(flags));
        }
    }
}
