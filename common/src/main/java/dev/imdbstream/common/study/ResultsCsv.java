package dev.imdbstream.common.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.imdbstream.common.schema.TrainingResult;

/**
 * The study's results as CSV: {@code runs.csv} (one line a run) and {@code results.csv} (one line a grid cell), as the
 * trainer's report writes them and as they are committed under {@code results/}; {@link #readOutcomes} reads a
 * {@code runs.csv} back for {@link ResultsTable}.
 */
public final class ResultsCsv {

    private static final CsvMapper MAPPER = new CsvMapper();

    private ResultsCsv() {
    }

    public static String runs(List<TrainingResult> results) {
        StringBuilder b = new StringBuilder("job_id,variant,subset_size,seed,status,epochs_run,best_epoch,best_val_loss,"
                + "test_n,test_loss,test_accuracy,roc_auc,average_precision,precision_neg,recall_neg,f1_neg,"
                + "precision_pos,recall_pos,f1_pos,tn,fp,fn,tp,train_seconds,model_id,error\n");
        for (TrainingResult r : results) {
            b.append(r.jobId()).append(',').append(r.variant()).append(',').append(r.subsetSize()).append(',')
                    .append(r.seed()).append(',').append(r.status()).append(',').append(r.epochsRun()).append(',')
                    .append(r.bestEpoch()).append(',').append(f(r.bestValLoss())).append(',');
            if (r.test() != null) {
                var t = r.test();
                // Accuracy and ROC-AUC to 6 decimals: the tables are recomputed from them (k/25,000 needs 5).
                b.append(t.n()).append(',').append(f(t.loss())).append(',').append(f6(t.accuracy())).append(',')
                        .append(f6(t.rocAuc())).append(',').append(f(t.prCurve().averagePrecision())).append(',');
                for (var c : t.perClass()) {
                    b.append(f(c.precision())).append(',').append(f(c.recall())).append(',').append(f(c.f1())).append(',');
                }
                b.append(t.confusion()[0][0]).append(',').append(t.confusion()[0][1]).append(',')
                        .append(t.confusion()[1][0]).append(',').append(t.confusion()[1][1]).append(',');
            } else {
                b.append(",".repeat(15));
            }
            b.append(String.format(Locale.ROOT, "%.1f", r.trainSeconds())).append(',')
                    .append(r.modelId() == null ? "" : r.modelId()).append(',')
                    .append(r.error() == null ? "" : '"' + r.error().replace("\"", "\"\"") + '"').append('\n');
        }
        return b.toString();
    }

    public static String cells(ResultsTable table) {
        StringBuilder b = new StringBuilder("subset_size,variant,seeds,accuracy_mean,accuracy_sd,accuracy_ci95_low,"
                + "accuracy_ci95_high,roc_auc_mean,roc_auc_sd,failed_runs\n");
        for (ResultsTable.Cell c : table.cells()) {
            b.append(c.subsetSize()).append(',').append(c.variant()).append(',').append(c.accuracy().n()).append(',')
                    .append(f(c.accuracy().mean())).append(',').append(f(c.accuracy().sd())).append(',')
                    .append(f(c.accuracy().ciLow())).append(',').append(f(c.accuracy().ciHigh())).append(',')
                    .append(f(c.rocAuc().mean())).append(',').append(f(c.rocAuc().sd())).append(',')
                    .append(c.failed()).append('\n');
        }
        return b.toString();
    }

    /** The runs of a {@link #runs} file: size, variant, seed, whether it succeeded, test accuracy and ROC-AUC. */
    public static List<ResultsTable.Outcome> readOutcomes(Path runsCsv) {
        List<ResultsTable.Outcome> out = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = MAPPER.readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(runsCsv.toFile())) {
            int line = 1;
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                line++;
                try {
                    boolean ok = TrainingResult.Status.SUCCEEDED.name().equals(required(row, "status"));
                    out.add(new ResultsTable.Outcome(Integer.parseInt(required(row, "subset_size")),
                            required(row, "variant"), Long.parseLong(required(row, "seed")), ok,
                            ok ? Double.parseDouble(required(row, "test_accuracy")) : Double.NaN,
                            ok ? Double.parseDouble(required(row, "roc_auc")) : Double.NaN));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(runsCsv + " line " + line + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runsCsv, e);
        }
        return out;
    }

    private static String required(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("no value in column " + column);
        }
        return v;
    }

    private static String f6(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
