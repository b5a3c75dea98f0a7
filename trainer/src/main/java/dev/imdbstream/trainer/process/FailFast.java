package dev.imdbstream.trainer.process;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;

import dev.imdbstream.trainer.config.TrainerConfig;

/**
 * Ends the process with status 1 when a loop the trainer cannot work without (the job consumer, the study view) died
 * of an error it could not recover from, so that a broken trainer never looks alive: its health is DOWN at once and
 * compose's restart policy, Kubernetes or {@code run-local.sh} start it again. A restarted trainer resumes its runs from
 * their checkpoints. {@code trainer.exit-on-failure=false} keeps the process up, DOWN (tests).
 */
@ApplicationScoped
public class FailFast {

    private static final Logger LOG = Logger.getLogger(FailFast.class);

    private final TrainerConfig config;

    public FailFast(TrainerConfig config) {
        this.config = config;
    }

    public void died(String what, Throwable cause) {
        if (config.exitOnFailure()) {
            LOG.errorf(cause, "%s stopped: the trainer cannot work without it and exits with status 1", what);
            Quarkus.asyncExit(1);
        } else {
            LOG.errorf(cause, "%s stopped; trainer.exit-on-failure is off: staying up, DOWN", what);
        }
    }
}
