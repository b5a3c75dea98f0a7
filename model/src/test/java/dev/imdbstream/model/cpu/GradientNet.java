package dev.imdbstream.model.cpu;

import java.util.List;

import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network whose parameter and input gradients can be taken with a features mask: DL4J's
 * {@code calculateGradients} hands the features mask to the output layer as a labels mask.
 */
final class GradientNet extends MultiLayerNetwork {

    private GradientNet(MultiLayerNetwork net) {
        super(withoutWorkspaces(net.getLayerWiseConfigurations().clone()));
        init(net.params().dup(), false);
    }

    private static MultiLayerConfiguration withoutWorkspaces(MultiLayerConfiguration conf) {
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        return conf;
    }

    static GradientNet of(MultiLayerNetwork net) {
        return new GradientNet(net);
    }

    /** Gradients of the summed loss for the parameters (copies), and for the input. */
    Pair<Gradient, INDArray> gradients(INDArray features, INDArray labels, INDArray featuresMask) {
        setInput(features);
        setLabels(labels);
        setLayerMaskArrays(featuresMask, null);
        try {
            List<INDArray> activations = ffToLayerActivationsDetached(true, FwdPassType.STANDARD, false,
                    layers.length - 2, features, featuresMask, null, false);
            getOutputLayer().setInput(activations.get(activations.size() - 1), LayerWorkspaceMgr.noWorkspaces());
            Pair<Gradient, INDArray> p = calcBackpropGradients(null, true, false, true);
            p.getFirst().gradientForVariable().replaceAll((k, v) -> v.dup());
            return new Pair<>(p.getFirst(), p.getSecond().dup());
        } finally {
            clearLayerMaskArrays();
        }
    }
}
