package dev.imdbstream.trainer.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.imdbstream.common.schema.Ids;
import dev.imdbstream.common.schema.TrainingJob;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.trainer.config.TrainerConfig;
import dev.imdbstream.trainer.study.StudyView;

/**
 * Keeps each experiment's report folder ({@code <trainer.report.dir>/<experiment id>/}) up to date with the
 * results on training.results: written when an experiment's last result arrives, and again on request
 * whenever results changed since the last write.
 */
@Startup
@ApplicationScoped
public class ReportService {

    private static final Logger LOG = Logger.getLogger(ReportService.class);

    private final StudyView view;
    private final TrainerConfig config;
    /** Fingerprint of the results each folder was last written from. */
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "report-writer");
        t.setDaemon(true);
        return t;
    });

    public ReportService(StudyView view, TrainerConfig config) {
        this.view = view;
        this.config = config;
    }

    @PostConstruct
    void listen() {
        view.onResult(result -> {
            List<TrainingJob> jobs = view.jobsOf(result.experimentId());
            if (!jobs.isEmpty() && view.resultsOf(result.experimentId()).size() >= jobs.size()) {
                background.submit(() -> {
                    try {
                        report(result.experimentId());
                    } catch (IOException | RuntimeException e) {
                        LOG.warnf(e, "cannot write the report of %s", result.experimentId());
                    }
                });
            }
        });
    }

    /**
     * The report folder of an experiment, always inside {@code trainer.report.dir}.
     *
     * @throws IllegalArgumentException for an id that is not a safe experiment id
     */
    public Path folder(String experimentId) {
        Ids.require("experiment id", experimentId, Ids.EXPERIMENT);
        Path root = config.report().dir().toAbsolutePath().normalize();
        Path folder = root.resolve(experimentId).normalize();
        if (!folder.getParent().equals(root)) {
            throw new IllegalArgumentException("report folder " + folder + " is not inside " + root);
        }
        return folder;
    }

    /** The experiment's report folder, rewritten first if results changed; empty for an unknown experiment. */
    public synchronized Optional<Path> report(String experimentId) throws IOException {
        List<TrainingJob> jobs = Ids.isExperimentId(experimentId) ? view.jobsOf(experimentId) : List.of();
        if (jobs.isEmpty()) {
            return Optional.empty();
        }
        List<TrainingResult> results = view.resultsOf(experimentId);
        String fingerprint = results.size() + ":" + results.stream().mapToLong(TrainingResult::finishedAtMs).sum()
                + ":" + jobs.size();
        Path folder = folder(experimentId);
        Path stamp = folder.resolve(".written-from");
        String last = written.computeIfAbsent(experimentId, k -> {
            try {
                // After a restart the folder tells what it was written from, so replayed results rewrite nothing.
                return Files.isRegularFile(stamp) ? Files.readString(stamp) : "";
            } catch (IOException e) {
                return "";
            }
        });
        if (!fingerprint.equals(last) || !Files.isRegularFile(folder.resolve("index.html"))) {
            ReportWriter.write(new ReportWriter.Experiment(experimentId, jobs.get(0).datasetId(), jobs, results), folder);
            Files.writeString(stamp, fingerprint);
            written.put(experimentId, fingerprint);
            LOG.infof("wrote the report of %s (%d of %d runs) to %s", experimentId, results.size(), jobs.size(), folder);
        }
        return Optional.of(folder);
    }

    @PreDestroy
    void close() {
        background.shutdownNow();
    }
}
