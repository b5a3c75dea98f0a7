#!/usr/bin/env bash
# JMH micro-benchmarks of the benchmarks module (InferencePass: one inference pass of the notebook's model with the
# FAST layers, per micro-batch size; OptimiserStep: one Adam step over its parameters, ND4J's against FusedAdam), run
# with the services' OpenBLAS kernel and one OpenMP thread (bin/lib/processes.sh). Arguments are JMH's own
# (java -jar jmh.jar -h):
#
#   bin/jmh-benchmark.sh [InferencePass|OptimiserStep] [-p batch=1,4,32] [-wi 5 -i 5 -f 1] [-l]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/processes.sh"
source "$root/bin/lib/benchmarks.sh"
cd "$root"
classpath="$(benchmarks_classpath)"
export OMP_NUM_THREADS=1
exec java -cp "$classpath" org.openjdk.jmh.Main "$@"
