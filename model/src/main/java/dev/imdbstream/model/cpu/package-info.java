/**
 * The CPU layers of the model's {@link dev.imdbstream.model.LstmImpl#FAST} network after the BiLSTM, and what they
 * share with it: {@link dev.imdbstream.model.cpu.SequenceDropout}, {@link
 * dev.imdbstream.model.cpu.SequenceBatchNormalization} and {@link dev.imdbstream.model.cpu.FastAttentionPooling}
 * compute what DL4J's dropout and batch norm on reshaped rows and the SameDiff attention compute, from the same
 * parameters, on the sequence {@code [B, C, T]} as it is. They exchange it in the {@link
 * dev.imdbstream.model.cpu.SequenceRows} layout ({@code [B, T, C]} rows, permuted), use {@link
 * dev.imdbstream.model.cpu.Blas} (OpenBLAS, directly) for products and plain Java loops over {@link
 * dev.imdbstream.model.cpu.Scratch} buffers, reused across batches, for the rest. CPU backend only: the CUDA backend
 * uses the stock layers ({@link dev.imdbstream.model.LstmImpl#STOCK}).
 */
package dev.imdbstream.model.cpu;
