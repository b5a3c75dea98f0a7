#!/usr/bin/env bash
# End-to-end check of ./run-local.sh in a short configuration: one subset size (100), both variants, one seed, one
# epoch, a 500-review test subset, 50 reviews streamed through the scorer, on its own ports and a fresh broker.
# Then asserts: the run ended well, the report's results table has the expected rows and cells, every review sent
# got its prediction, and nothing the run started is still running (pids and ports). Ends with `N passed, N failed`.
#
# Needs: Java 17, curl, ../shared/data (E2E_DATA_DIR); builds the modules when missing (durations in
# docs/benchmarks.md). Environment: E2E_DIR (run/e2e), E2E_KAFKA_PORT (29092), E2E_TRAINER_PORT (28082),
# E2E_SCORER_PORT (28083), E2E_REVIEWS (50), E2E_EPOCHS (1).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

dir="${E2E_DIR:-$root/run/e2e}"
kafka_port="${E2E_KAFKA_PORT:-29092}"
trainer_port="${E2E_TRAINER_PORT:-28082}"
scorer_port="${E2E_SCORER_PORT:-28083}"
reviews="${E2E_REVIEWS:-50}"
epochs="${E2E_EPOCHS:-1}"
data="${E2E_DATA_DIR:-$root/../shared/data}"

# shellcheck source=lib.sh
source "$here/lib.sh"
port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

for p in "$kafka_port" "$trainer_port" "$scorer_port"; do
  if ! port_free "$p"; then
    echo "port $p is already in use: set E2E_KAFKA_PORT / E2E_TRAINER_PORT / E2E_SCORER_PORT"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

rm -rf "$dir"
mkdir -p "$dir"
start=$SECONDS
./run-local.sh --sizes 100 --variants random,glove --seeds 1 --epochs "$epochs" --validation-size 200 --test-size 500 \
  --reviews "$reviews" --data "$data" --run-dir "$dir/run" --kafka-dir "$dir/kafka" --fresh-kafka \
  --kafka-port "$kafka_port" --trainer-port "$trainer_port" --scorer-port "$scorer_port" 2>&1 | tee "$dir/run-local.out"
status=${PIPESTATUS[0]}
echo "run-local.sh took $((SECONDS - start)) s"

report="$(ls -d "$dir"/run/report/local-* 2> /dev/null | head -n 1)"
check "run-local.sh exited 0" test "$status" -eq 0
check "stage times written" test -s "$dir/run/stages.txt"
check "report.md exists" test -f "$report/report.md"
# The first table: test accuracy by size and variant (the gains over random follow it).
table() { awk '/^\| subset size/ { n++ } n == 1 && /^$/ { exit } n == 1' "$report/report.md"; }
header_has_variants() { table | head -n 1 | grep -q '| random |' && table | head -n 1 | grep -q '| glove |'; }
one_row_size_100() { [[ $(table | grep -c '^| [0-9]') == 1 ]] && table | grep -q '^| 100 |'; }
accuracy_in_cells() { table | grep '^| 100 |' | grep -Eq '^\| 100 \| [01]\.[0-9]+[^|]*\| [01]\.[0-9]+'; }
csv_rows() { [[ $(grep -c '^100,' "$report/results.csv") == 2 ]]; }
check "results table header names both variants" header_has_variants
check "results table has exactly the row for size 100" one_row_size_100
check "results table has an accuracy in both cells" accuracy_in_cells
check "results.csv has both variants' rows" csv_rows
check "both runs succeeded" grep -q '"failed":0' "$dir/run/experiment.json"
check "comparison plot written" test -s "$report/comparison.png"
check "$reviews reviews sent" grep -qx "sent=$reviews" "$dir/run/scoring.txt"
check "a prediction came back for every review sent" grep -qx "missing=0" "$dir/run/scoring.txt"
check "predictions scored by a model with an accuracy" grep -q '^accuracy ' "$dir/run/scoring.txt"

# Nothing left behind: no pid file, none of the recorded processes alive, no listener on the run's ports.
alive=""
for f in "$dir"/run/pids/*.pid "$dir"/kafka/kafka.pid; do
  [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2> /dev/null && alive+=" $(basename "$f")"
done
check "no process left running (pid files)${alive:+: $alive}" test -z "$alive"
no_process_on_run_dir() { ! pgrep -f -- "$dir/"; }
check "no process whose command line names $dir" no_process_on_run_dir
for p in "$kafka_port" "$trainer_port" "$scorer_port"; do
  check "port $p free" port_free "$p"
done

summary
