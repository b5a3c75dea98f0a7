/**
 * A bidirectional LSTM layer for DL4J 1.0.0-M2.1 on the CPU backend, computed the way cuDNN and
 * PyTorch compute it (one GEMM for the input projection of all steps, per step one small GEMM and fused
 * element-wise gates, weight and input gradients as large GEMMs at the end): several times faster than
 * the stock {@code Bidirectional(LSTM)} on one core, with the same parameters, outputs and gradients.
 *
 * <p>The model uses it as {@link dev.imdbstream.model.LstmImpl#FAST} (with {@code maskPaddedSteps(true)}),
 * built by {@link dev.imdbstream.model.BiLstmLayers}:
 * <pre>
 *   .layer(BiLstmLayers.bidirectional(LstmImpl.forCurrentBackend(), 100, 128, decay))   // [B,100,T] -> [B,256,T]
 * </pre>
 * A parameter vector trained with one loads into a network built with the other ({@code setParams},
 * {@link dev.imdbstream.model.BiLstmLayers#withImpl}).
 * {@link dev.imdbstream.model.lstm.BiLstm.Builder#maskPaddedSteps(boolean)} makes the layer apply the
 * network's features mask, which the stock layer does not do (see there); LstmBenchmark (the benchmarks module) times
 * both implementations.
 */
package dev.imdbstream.model.lstm;
