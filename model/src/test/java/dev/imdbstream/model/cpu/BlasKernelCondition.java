package dev.imdbstream.model.cpu;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips every test of a JVM started with an {@code OPENBLAS_CORETYPE} this CPU cannot execute: the model's surefire
 * executions run the tests tagged {@value #TAG} once per kernel type of {@link BlasKernel#CHOSEN}, and OpenBLAS 0.3.19
 * loads a forced kernel without checking the CPU (its first product would stop the JVM with an illegal instruction).
 * Registered for every test class (META-INF/services, junit-platform.properties); the check runs before a test class
 * is initialized, so before ND4J loads OpenBLAS.
 */
public final class BlasKernelCondition implements ExecutionCondition {

    /** Tag of the tests whose results depend on the BLAS kernel: run once per kernel type (model/pom.xml). */
    public static final String TAG = "blas";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String kernel = System.getenv("OPENBLAS_CORETYPE");
        if (kernel == null) {
            return ConditionEvaluationResult.enabled("OpenBLAS detects the CPU itself");
        }
        BlasKernel.Cpu cpu = BlasKernel.Cpu.read();
        if (cpu != null && BlasKernel.runsOn(kernel, cpu.flags())) {
            return ConditionEvaluationResult.enabled("this CPU runs OpenBLAS kernel " + kernel);
        }
        return ConditionEvaluationResult.disabled("this CPU cannot run OpenBLAS kernel " + kernel);
    }
}
