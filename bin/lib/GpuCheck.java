import java.util.Locale;
import java.util.Properties;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * What bin/gpu-check.sh asks ND4J before benchmarking: the backend and what it reports about the device, whether
 * ND4J's own kernels and the BLAS run (a product and a sigmoid checked against plain Java), and whether DL4J's
 * LSTM runs through its cuDNN helper (the helper's fallback to the built-in implementation off, so a failing cuDNN call
 * is an error, not a silent fallback). Prints one "key: value" line each; exits 1 when a computation failed.
 * Usage: {@code java -cp <the model's classpath> bin/lib/GpuCheck.java}
 */
public class GpuCheck {

    public static void main(String[] args) {
        System.out.println("backend: " + Nd4j.getBackend().getClass().getSimpleName());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        env.stringPropertyNames().stream().sorted()
                .filter(k -> k.startsWith("cuda") || k.startsWith("blas") || k.startsWith("backend"))
                .forEach(k -> System.out.println("nd4j " + k + ": " + env.get(k)));

        boolean ok = kernels() & lstm();
        System.exit(ok ? 0 : 1);
    }

    /** A 64x64 product (BLAS) and a sigmoid (an ND4J kernel) against the same computed in plain Java. */
    private static boolean kernels() {
        try {
            int n = 64;
            float[] a = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = ((i * 7919) % 101) / 101f - 0.5f;
            }
            INDArray x = Nd4j.create(a, new long[] {n, n}, 'c');
            INDArray y = Transforms.sigmoid(x.mmul(x), true);
            Nd4j.getExecutioner().commit();
            double maxError = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += a[i * n + k] * a[k * n + j];
                    }
                    maxError = Math.max(maxError, Math.abs(1 / (1 + Math.exp(-s)) - y.getDouble(i, j)));
                }
            }
            boolean right = maxError < 1e-4;
            System.out.printf(Locale.ROOT, "kernels ran: %s (matrix product and sigmoid, max error %.2e)%n",
                    right ? "yes" : "WRONG RESULTS", maxError);
            return right;
        } catch (Throwable e) {
            System.out.println("kernels ran: NO (" + e + ")");
            return false;
        }
    }

    /** One forward and backward pass of an LSTM; on CUDA, DL4J's cuDNN helper must do it. */
    private static boolean lstm() {
        try {
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(1).dataType(DataType.FLOAT).updater(new Adam(1e-3)).list()
                    .layer(new LSTM.Builder().nIn(16).nOut(32).activation(Activation.TANH).helperAllowFallback(false).build())
                    .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(32).nOut(1)
                            .activation(Activation.IDENTITY).build())
                    .build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            INDArray features = Nd4j.rand(DataType.FLOAT, 8, 16, 20);
            INDArray labels = Nd4j.rand(DataType.FLOAT, 8, 1, 20);
            net.fit(features, labels);
            double score = net.score();
            LayerHelper helper = ((org.deeplearning4j.nn.layers.recurrent.LSTM) net.getLayer(0)).getHelper();
            String by = helper == null ? "DL4J's built-in LSTM (no cuDNN helper on this backend)"
                    : helper.getClass().getSimpleName();
            System.out.printf(Locale.ROOT, "lstm ran: %s, by %s (loss %.4f)%n",
                    Double.isFinite(score) ? "yes" : "NaN LOSS", by, score);
            System.out.println("cudnn used: " + (helper != null && helper.getClass().getSimpleName().startsWith("Cudnn")
                    ? "yes" : "no"));
            return Double.isFinite(score);
        } catch (Throwable e) {
            System.out.println("lstm ran: NO (" + e + ")");
            System.out.println("cudnn used: no");
            return false;
        }
    }
}
