package dev.imdbstream.trainer.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import dev.imdbstream.common.schema.EpochMetrics;
import dev.imdbstream.common.schema.TrainingResult;
import dev.imdbstream.common.study.ResultsTable;

/**
 * The report's plots, drawn with JFreeChart into PNG files (headless AWT): learning curves as the notebook's
 * {@code plot_metrics}, accuracy against subset size per variant, confusion matrices and precision-recall
 * curves.
 */
public final class Charts {

    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(214, 39, 40);
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127)};

    static {
        // Plots are drawn off-screen; a server has no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /** Training and validation accuracy (left) and loss (right) per epoch, as the notebook's plot_metrics. */
    public static void learningCurves(List<EpochMetrics> history, String title, Path file) throws IOException {
        XYSeries trainAcc = new XYSeries("Training Accuracy");
        XYSeries valAcc = new XYSeries("Validation Accuracy");
        XYSeries trainLoss = new XYSeries("Training Loss");
        XYSeries valLoss = new XYSeries("Validation Loss");
        for (EpochMetrics m : history) {
            trainAcc.add(m.epoch(), m.trainAccuracy());
            valAcc.add(m.epoch(), m.valAccuracy());
            trainLoss.add(m.epoch(), m.trainLoss());
            valLoss.add(m.epoch(), m.valLoss());
        }
        JFreeChart accuracy = lines(title + " Accuracy", "Epochs", "Accuracy", trainAcc, valAcc);
        JFreeChart loss = lines(title + " Loss", "Epochs", "Loss", trainLoss, valLoss);
        sideBySide(file, 1600, 600, accuracy, loss);
    }

    private static JFreeChart lines(String title, String x, String y, XYSeries train, XYSeries validation) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(validation);
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, TRAIN);
        renderer.setSeriesPaint(1, VALIDATION);
        renderer.setSeriesShape(1, new Rectangle2D.Double(-3, -3, 6, 6));
        plot.setRenderer(renderer);
        NumberAxis epochs = (NumberAxis) plot.getDomainAxis();
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        style(chart);
        return chart;
    }

    /**
     * Mean test accuracy against subset size per variant, error bars of one standard deviation over seeds,
     * each seed's accuracy as a point.
     */
    public static void comparison(ResultsTable table, List<TrainingResult> results, Path file) throws IOException {
        YIntervalSeriesCollection means = new YIntervalSeriesCollection();
        XYSeriesCollection seeds = new XYSeriesCollection();
        for (String variant : table.variants()) {
            YIntervalSeries s = new YIntervalSeries(variant + " (mean ± sd)");
            for (ResultsTable.Cell c : table.cells()) {
                if (c.variant().equals(variant) && c.accuracy().n() > 0) {
                    double sd = Double.isNaN(c.accuracy().sd()) ? 0 : c.accuracy().sd();
                    s.add(c.subsetSize(), c.accuracy().mean(), c.accuracy().mean() - sd, c.accuracy().mean() + sd);
                }
            }
            means.addSeries(s);
            XYSeries points = new XYSeries(variant + " (seeds)", true, true);
            for (TrainingResult r : results) {
                if (r.variant().equals(variant) && r.status() == TrainingResult.Status.SUCCEEDED) {
                    points.add(r.subsetSize(), r.test().accuracy());
                }
            }
            seeds.addSeries(points);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Accuracy Comparison for Random vs Pretrained Embedding",
                "Sample Size", "Test Accuracy", means, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYErrorRenderer errors = new XYErrorRenderer();
        errors.setDrawXError(false);
        errors.setDefaultLinesVisible(true);
        errors.setDefaultShapesVisible(true);
        errors.setErrorStroke(new BasicStroke(1.5f));
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        for (int i = 0; i < table.variants().size(); i++) {
            errors.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            dots.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            dots.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        plot.setRenderer(0, errors);
        plot.setDataset(1, seeds);
        plot.setRenderer(1, dots);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(false);
        style(chart);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 650);
    }

    /** Counts of {@code [[tn, fp], [fn, tp]]} as a heat map with the numbers written in the cells. */
    public static void confusion(long[][] confusion, String title, Path file) throws IOException {
        DefaultXYZDataset data = new DefaultXYZDataset();
        double[] x = new double[4];
        double[] y = new double[4];
        double[] z = new double[4];
        long max = 1;
        int k = 0;
        for (int truth = 0; truth < 2; truth++) {
            for (int predicted = 0; predicted < 2; predicted++) {
                x[k] = predicted;
                y[k] = truth;
                z[k] = confusion[truth][predicted];
                max = Math.max(max, confusion[truth][predicted]);
                k++;
            }
        }
        data.addSeries("counts", new double[][] {x, y, z});
        SymbolAxis predictedAxis = new SymbolAxis("Predicted label", new String[] {"negative", "positive"});
        SymbolAxis trueAxis = new SymbolAxis("True label", new String[] {"negative", "positive"});
        trueAxis.setInverted(true);
        XYBlockRenderer renderer = new XYBlockRenderer();
        LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
        for (int i = 0; i <= 20; i++) {
            double t = i / 20.0;
            scale.add(max * t, new Color((int) (255 - t * (255 - 107)), (int) (255 - t * (255 - 174)),
                    (int) (255 - t * (255 - 214))));
        }
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, predictedAxis, trueAxis, renderer);
        for (int i = 0; i < 4; i++) {
            XYTextAnnotation label = new XYTextAnnotation(Long.toString((long) z[i]), x[i], y[i]);
            label.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            plot.addAnnotation(label);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        NumberAxis legendAxis = new NumberAxis("count");
        legendAxis.setRange(0, max + 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        chart.addSubtitle(legend);
        style(chart);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 520, 450);
    }

    /** Precision against recall of the positive class, one line per run. */
    public static void prCurves(Map<String, TrainingResult.PrCurve> curves, String title, Path file) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, TrainingResult.PrCurve> e : curves.entrySet()) {
            TrainingResult.PrCurve c = e.getValue();
            XYSeries s = new XYSeries(String.format("%s (AP %.3f)", e.getKey(), c.averagePrecision()), false, true);
            for (int i = 0; i < c.recall().length; i++) {
                s.add(c.recall()[i], c.precision()[i]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "Recall", "Precision", data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(1.8f));
        }
        plot.setRenderer(renderer);
        plot.getDomainAxis().setRange(0, 1.0);
        plot.getRangeAxis().setRange(0, 1.02);
        style(chart);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 600);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0, 0, 0, 60));
            plot.setRangeGridlinePaint(new Color(0, 0, 0, 60));
            float[] dash = {4f, 4f};
            BasicStroke dashed = new BasicStroke(0.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f);
            plot.setDomainGridlineStroke(dashed);
            plot.setRangeGridlineStroke(dashed);
        }
    }

    private static void sideBySide(Path file, int width, int height, JFreeChart left, JFreeChart right) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            left.draw(g, new Rectangle2D.Double(0, 0, width / 2.0, height));
            right.draw(g, new Rectangle2D.Double(width / 2.0, 0, width / 2.0, height));
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
