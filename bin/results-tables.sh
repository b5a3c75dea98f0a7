#!/usr/bin/env bash
# The study's tables in Markdown, regenerated from the runs.csv files committed under results/ (or from any
# trainer report folder): per folder the answer table, accuracy per cell, and the paired gains over random and glove
# (and over the variants --against names).
#   bin/results-tables.sh [--against VARIANT[,VARIANT...]] [DIR...]    default DIR: every folder under results/
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -B -q package -DskipTests -pl local-run -am >&2
dirs=0
prev=
for a in "$@"; do
  [[ $a == --* || $prev == --against ]] || dirs=$((dirs + 1))
  prev=$a
done
if [ "$dirs" -eq 0 ]; then
  set -- "$@" results/*/
fi
exec java -cp "local-run/target/local-run-0.1.0.jar:local-run/target/lib/*" dev.imdbstream.localrun.LocalRun tables "$@"
