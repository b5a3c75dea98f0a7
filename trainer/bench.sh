#!/usr/bin/env bash
# Training and inference samples/s of the notebook's model with 1 and 2 runs at once (the trainer's
# trainer.runs.parallel), one OpenMP thread per run. Usage: trainer/bench.sh [--parallel 1,2] [--train-batches 12]
set -euo pipefail
# Every module of the reactor writes the file; the trainer, built last, has the classpath that counts.
cd "$(dirname "$0")/.."
./mvnw -B -q -pl trainer -am compile dependency:build-classpath -Dmdep.outputFile="$PWD/trainer/target/bench.classpath" \
  -Dmdep.includeScope=runtime >/dev/null
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
exec java -Xmx3g -cp "trainer/target/classes:$(cat trainer/target/bench.classpath)" \
  dev.imdbstream.trainer.bench.ParallelRunsBenchmark "$@"
