#!/usr/bin/env bash
# The model's speed on one core: ModelBenchmark (training steps and inference passes of the notebook's model with the
# FAST layers, at full length), run as the services run it (bin/lib/processes.sh: JVM options, one OpenMP thread, the
# OpenBLAS kernel chosen for this CPU), optionally alternating with the same model in PyTorch (bin/lib/pytorch_peer.py,
# Debian's python3-torch) on the same core. Both run without the OpenBLAS variables of the calling environment, as on a
# user's machine: the project with its launchers' choice, PyTorch with its own CPU detection.
#
#   bin/model-benchmark.sh [--rounds 3] [--cpu 1] [--pytorch] [--kernel NAME|detected] [--pytorch-kernel NAME]
#                          [-- ModelBenchmark options]
#
#   --rounds N       rounds; each runs ModelBenchmark, then the PyTorch peer when --pytorch (default 3)
#   --cpu N          the core both run on (taskset; default 1, the last core of a 2-core machine)
#   --pytorch        alternate with the PyTorch peer (needs python3 with torch: apt-get install python3-torch)
#   --kernel NAME    OpenBLAS kernel type for ModelBenchmark instead of the launchers' choice; "detected" leaves the
#                    choice to OpenBLAS (OPENBLAS_CORETYPE unset)
#   --pytorch-kernel NAME  OPENBLAS_CORETYPE for the PyTorch peer (default: unset)
#   -- OPTIONS       ModelBenchmark's options (default: --lstm fast --trim false --profile false --warmup 50
#                    --train-batches 20 --repeats 5)
#
# Prints each round's figures, then the medians over the rounds of the per-round medians and the ratios to PyTorch.
# Record results in docs/benchmarks.md with the machine, the kernel and the load averages it prints.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bin/lib/processes.sh"
source "$root/bin/lib/benchmarks.sh"
cd "$root"

rounds=3 cpu=1 pytorch=false kernel="" peer_kernel=""
# 50 training batches before the clock starts: the JIT compilers keep compiling the training step's code for the first
# hundred or so batches, on the pinned core, which a trainer's run of hundreds of batches mostly does not see (the
# benchmark prints the process's CPU time over the measuring thread's). The PyTorch peer gets the same sizes.
bench_args=(--lstm fast --trim false --profile false --warmup 50 --train-batches 20 --repeats 5)
while (( $# )); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    --pytorch) pytorch=true; shift ;;
    --kernel) kernel="$2"; shift 2 ;;
    --pytorch-kernel) peer_kernel="$2"; shift 2 ;;
    --) shift; bench_args=("$@"); break ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
command -v taskset > /dev/null || die "needs taskset (util-linux)"
python=/usr/bin/python3
if $pytorch && ! "$python" -c 'import torch' 2> /dev/null; then
  die "--pytorch needs PyTorch for $python: apt-get install python3-torch"
fi
# Debian's torch is built against the generic libblas.so.3; python3-torch alone brings the reference BLAS, which runs
# the peer 4-8x slower than OpenBLAS: no yardstick.
blas="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2> /dev/null || true)"
if $pytorch && [[ $blas != *openblas* ]]; then
  die "--pytorch: libblas.so.3 is ${blas:-missing}, not OpenBLAS: apt-get install libopenblas0-pthread"
fi

# The project's choice (processes.sh exported it), another one, or none.
case "$kernel" in
  "") ;;
  detected) unset OPENBLAS_CORETYPE ;;
  *) export OPENBLAS_CORETYPE="$kernel" ;;
esac
unset OPENBLAS_L2_SIZE
export OMP_NUM_THREADS=1

classpath="$(benchmarks_classpath)"
# The peer takes the same sizes.
peer_args=()
for (( i = 0; i + 1 < ${#bench_args[@]}; i += 2 )); do
  case "${bench_args[i]}" in
    --train-batches|--infer-batches|--repeats|--warmup|--batch|--length) peer_args+=("${bench_args[i]}" "${bench_args[i + 1]}") ;;
  esac
done
java_cmd=(java "${model_java_opts[@]}" -cp "$classpath" dev.imdbstream.benchmarks.model.ModelBenchmark "${bench_args[@]}")

log "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(getconf _NPROCESSORS_ONLN) cores; pinned to CPU $cpu"
log "ModelBenchmark: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset: OpenBLAS detects>} ${bench_args[*]}"
$pytorch && log "PyTorch peer: OPENBLAS_CORETYPE=${peer_kernel:-<unset: OpenBLAS detects>}"

java_lines=() torch_lines=()
for (( r = 1; r <= rounds; r++ )); do
  log "round $r/$rounds: ModelBenchmark (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  out="$(taskset -c "$cpu" "${java_cmd[@]}" 2>&1 | grep -v '^WARNING: Using incubator')"
  grep -E '^(BLAS:|FAST |STOCK |work:|one core)' <<< "$out" | sed 's/^/  /'
  java_lines+=("$(grep -E '^FAST +train' <<< "$out" | head -n 1)")
  if $pytorch; then
    log "round $r/$rounds: PyTorch peer (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    out="$(env -u OPENBLAS_CORETYPE ${peer_kernel:+OPENBLAS_CORETYPE=$peer_kernel} \
      taskset -c "$cpu" "$python" "$root/bin/lib/pytorch_peer.py" "${peer_args[@]}" 2>&1)"
    sed 's/^/  /' <<< "$out"
    torch_lines+=("$(grep -E '^PYTORCH ' <<< "$out" | head -n 1)")
  fi
done

# A result line: "<name> train W (range) C (range) | inference W (range) C (range) ...": its four medians.
medians() { awk '{ gsub(/\([^)]*\)/, ""); print $3, $4, $7, $8 }'; }
median_of() { # column: the median of that column of the lines on stdin
  sort -g -k "$1,$1" | awk -v c="$1" '{ v[NR] = $c } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
summary() { # lines...: "train-wall train-cpu infer-wall infer-cpu", medians over the lines
  local m=() c
  for c in 1 2 3 4; do m+=("$(printf '%s\n' "$@" | medians | median_of "$c")"); done
  echo "${m[*]}"
}
echo
log "medians of the $rounds rounds (load average now $(cut -d' ' -f1-3 /proc/loadavg)):"
read -r jtw jtc jiw jic <<< "$(summary "${java_lines[@]}")"
printf 'ModelBenchmark  train %7.1f wall %7.1f cpu | inference %7.1f wall %7.1f cpu samples/s\n' "$jtw" "$jtc" "$jiw" "$jic"
if $pytorch; then
  read -r ptw ptc piw pic <<< "$(summary "${torch_lines[@]}")"
  printf 'PyTorch         train %7.1f wall %7.1f cpu | inference %7.1f wall %7.1f cpu samples/s\n' "$ptw" "$ptc" "$piw" "$pic"
  awk -v a="$jtw" -v b="$jtc" -v c="$jiw" -v d="$jic" -v e="$ptw" -v f="$ptc" -v g="$piw" -v h="$pic" 'BEGIN {
    printf "project / PyTorch: train x%.2f wall, x%.2f cpu; inference x%.2f wall, x%.2f cpu\n", a / e, b / f, c / g, d / h }'
fi
