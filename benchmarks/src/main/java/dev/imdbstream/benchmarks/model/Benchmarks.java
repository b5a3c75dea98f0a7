package dev.imdbstream.benchmarks.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** Clocks shared by the benchmarks. */
final class Benchmarks {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Benchmarks() {
    }

    /** CPU time of the calling thread: with one OpenMP thread, ND4J and OpenBLAS compute on it. */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** CPU time of the whole process (all threads: garbage collector and JIT compilers included). */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
