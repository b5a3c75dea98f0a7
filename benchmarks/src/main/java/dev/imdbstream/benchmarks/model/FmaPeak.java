package dev.imdbstream.benchmarks.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What one core can compute at most: float fused multiply-adds of the widest vectors the JVM uses here, in 12
 * independent chains (enough to cover the FMA latency of every x86-64 core we know of), with no memory traffic. The
 * model's training step and inference pass are compared against it as a share, so the figure says how much a faster
 * kernel could still gain on this CPU, whatever its clock.
 */
final class FmaPeak {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaPeak() {
    }

    /** The best of {@code repeats} measurements, in GFLOP per CPU-second of the calling thread (an FMA is 2 FLOP). */
    static double gflops(int repeats) {
        long iterations = 20_000_000L;
        chains(iterations / 10); // compiled before it is measured
        double best = 0;
        for (int r = 0; r < repeats; r++) {
            long c0 = Benchmarks.cpuNanos();
            float sink = chains(iterations);
            long nanos = Benchmarks.cpuNanos() - c0;
            if (sink == 42) {
                System.out.print(""); // keeps the result alive
            }
            best = Math.max(best, 2.0 * SPECIES.length() * CHAINS * iterations / nanos);
        }
        return best;
    }

    static int lanes() {
        return SPECIES.length();
    }

    private static float chains(long iterations) {
        FloatVector a = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector b = FloatVector.broadcast(SPECIES, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(SPECIES, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++) {
            c0 = c0.fma(a, b);
            c1 = c1.fma(a, b);
            c2 = c2.fma(a, b);
            c3 = c3.fma(a, b);
            c4 = c4.fma(a, b);
            c5 = c5.fma(a, b);
            c6 = c6.fma(a, b);
            c7 = c7.fma(a, b);
            c8 = c8.fma(a, b);
            c9 = c9.fma(a, b);
            c10 = c10.fma(a, b);
            c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
