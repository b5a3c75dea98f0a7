#!/usr/bin/env bash
# Training and inference samples/s of the notebook's model with 1 and 2 runs at once (the trainer's
# trainer.runs.parallel), one OpenMP thread per run: ParallelRunsBenchmark of the benchmarks module, run as the trainer
# runs (bin/lib/processes.sh: its JVM options and the OpenBLAS kernel chosen for this CPU, whatever the environment
# says; IMDB_BLAS_KERNEL chooses another).
#
#   bin/trainer-benchmark.sh [--parallel 1,2] [--train-batches 12] [--infer-batches 4] [--warmup 2]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/processes.sh"
source "$root/bin/lib/benchmarks.sh"
cd "$root"
classpath="$(benchmarks_classpath)"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
exec java "${model_java_opts[@]}" -Xmx3g -cp "$classpath" dev.imdbstream.benchmarks.trainer.ParallelRunsBenchmark "$@"
