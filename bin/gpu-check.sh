#!/usr/bin/env bash
# The GPU path (-Pcuda: nd4j-cuda-11.6 with cuDNN) on a machine with an NVIDIA GPU, in one go:
#   1. the GPU, its compute capability and the driver (nvidia-smi), and whether nd4j-cuda-11.6 can run there at
#      all: its libnd4jcuda.so (ND4J 1.0.0-M2.1, the last release) carries kernels for compute capabilities 3.7,
#      5.0, 5.2, 6.0, 6.1, 7.0, 7.5, 8.0 and 8.6 and no PTX, so it runs on 3.7 (K80) and 5.0 to 8.9 (Maxwell to
#      Ada) and on nothing newer: Hopper (9.0: H100, H200) and Blackwell cannot launch a single kernel. There it
#      stops (exit 3) unless --force;
#   2. builds the benchmarks module with -Pcuda (./mvnw) and finds the CUDA 11 and cuDNN 8 libraries: the system's, or
#      JavaCPP's redistributable jar from Maven Central (about 1.5 GB) when the system has none;
#   3. prints the CUDA, cuDNN and driver versions and checks that ND4J's kernels, cuBLAS and DL4J's cuDNN LSTM
#      helper run and compute right (bin/lib/GpuCheck.java);
#   4. the model benchmark (ModelBenchmark, stock layers: the fast CPU layers are CPU-only) and a short training
#      run of the notebook's network as the trainer trains it (ParallelRunsBenchmark, one run), in samples/s.
# Usage: bin/gpu-check.sh [--force] [--train-batches N (30)] [--repeats N (3)]
# Exit: 0 done; 1 a step failed (the kernels, cuDNN or a benchmark); 2 no NVIDIA driver; 3 unsupported GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

force=false
train_batches=30
repeats=3
while (( $# )); do
  case "$1" in
    --force) force=true; shift ;;
    --train-batches) train_batches="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (--force, --train-batches N, --repeats N)" >&2; exit 2 ;;
  esac
done

say() { printf '== %s\n' "$*"; }

# ---- 1. the GPU, before anything is built -----------------------------------------------------------
if ! command -v nvidia-smi > /dev/null 2>&1 || ! nvidia-smi > /dev/null 2>&1; then
  echo "no NVIDIA GPU here: nvidia-smi is missing or finds no device (install the NVIDIA driver)"
  exit 2
fi
IFS=',' read -r gpu_name compute_cap driver memory < <(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total \
  --format=csv,noheader | head -n 1 | sed 's/, /,/g')
driver_cuda="$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -n 1)"
say "GPU 0: $gpu_name, compute capability $compute_cap, $memory; driver $driver (CUDA up to $driver_cuda)"

# support <major.minor>: prints yes, new or old.
support() {
  local major="${1%%.*}" minor="${1#*.}"
  if (( major == 3 && minor >= 7 )) || (( major >= 5 && major <= 8 )); then echo yes
  elif (( major >= 9 )); then echo new
  else echo old
  fi
}
case "$compute_cap" in
  [0-9]*.[0-9]*) verdict="$(support "$compute_cap")" ;;
  *) verdict=unknown ;;
esac
case "$verdict" in
  yes) say "supported: nd4j-cuda-11.6 has kernels for compute capability $compute_cap (it supports Kepler K80 and Maxwell to Ada: 3.7, 5.0-8.9)" ;;
  new) echo "NOT SUPPORTED: this GPU is too new for nd4j-cuda-11.6. Its compute capability $compute_cap (9.0 is Hopper:"
       echo "H100, H200; 10.0 and up Blackwell) has no kernels in libnd4jcuda.so, which carries code for 3.7, 5.0, 5.2,"
       echo "6.0, 6.1, 7.0, 7.5, 8.0 and 8.6 only and no PTX to compile for newer GPUs: every ND4J kernel launch fails"
       echo "('no kernel image is available for execution on the device'). nd4j-cuda-11.6 runs on Kepler (K80) to Ada."
       echo "Training on this GPU needs CUDA 12 natives, which ND4J does not publish (README.md, GPU)." ;;
  old) echo "NOT SUPPORTED: compute capability $compute_cap is older than nd4j-cuda-11.6's oldest kernels (3.7, then 5.0)." ;;
  *) echo "compute capability unknown (nvidia-smi said '$compute_cap'; a driver older than 510 cannot tell): going on" ;;
esac
if [[ $verdict == new || $verdict == old ]]; then
  if [[ $force == false ]]; then
    echo "stopping here (exit 3); bin/gpu-check.sh --force runs the rest anyway, to see it fail"
    exit 3
  fi
  say "--force: going on with an unsupported GPU"
fi

# ---- 2. build and libraries -------------------------------------------------------------------------
work="$PWD/benchmarks/target/gpu-check"
mkdir -p "$work"
say "building the benchmarks module with -Pcuda (nd4j-cuda-11.6 + cuDNN natives)"
# Every module of the reactor writes the classpath file; benchmarks, built last, has the one that counts.
./mvnw -B -q -Pcuda -pl benchmarks -am test-compile dependency:build-classpath -Dmdep.outputFile="$work/classpath" \
  -Dmdep.includeScope=runtime > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; echo "the -Pcuda build failed"; exit 1; }
cp="benchmarks/target/classes:$(cat "$work/classpath")"
cuda_api="$(tr ':' '\n' < "$work/classpath" | grep -E '/org/bytedeco/cuda/[^/]+/cuda-[^/]+\.jar$' | grep -v -- '-linux-' | head -n 1)"
cuda_preset_version="$(basename "$(dirname "$cuda_api")")"   # e.g. 11.6-8.3-1.5.7: CUDA 11.6, cuDNN 8.3, JavaCPP 1.5.7

if ldconfig -p | grep -q 'libcudart\.so\.11' && ldconfig -p | grep -q 'libcudnn\.so\.8'; then
  cudart="$(readlink -f "$(ldconfig -p | sed -n 's/.*libcudart\.so\.11[^ ]* => //p' | head -n 1)")"
  cudnn="$(readlink -f "$(ldconfig -p | sed -n 's/.*libcudnn\.so\.8 => //p' | head -n 1)")"
  say "CUDA runtime and cuDNN from the system: $(basename "$cudart"), $(basename "$cudnn")"
else
  say "no CUDA 11 / cuDNN 8 libraries on the system: JavaCPP's redistributable org.bytedeco:cuda:$cuda_preset_version:linux-x86_64-redist"
  ./mvnw -B -q dependency:copy -Dartifact="org.bytedeco:cuda:$cuda_preset_version:jar:linux-x86_64-redist" \
    -DoutputDirectory="$work/redist" > "$work/redist.log" 2>&1 || { tail -n 20 "$work/redist.log"; exit 1; }
  cp="$cp:$(ls "$work"/redist/*.jar)"
  say "CUDA runtime ${cuda_preset_version%%-*}, cuDNN $(echo "$cuda_preset_version" | cut -d- -f2) (JavaCPP's redistributable)"
fi
say "ND4J's CUDA natives built for CUDA ${cuda_preset_version%%-*} (org.bytedeco:cuda $cuda_preset_version); the driver supports CUDA up to $driver_cuda"

java_opts=(--add-modules jdk.incubator.vector -Xmx4g -Djava.awt.headless=true -Dorg.bytedeco.javacpp.cachedir="$work/javacpp")

# ---- 3. kernels and cuDNN ---------------------------------------------------------------------------
say "ND4J on the GPU: kernels, cuBLAS, cuDNN (bin/lib/GpuCheck.java)"
status=0
java "${java_opts[@]}" -cp "$cp" bin/lib/GpuCheck.java 2>&1 | tee "$work/gpu-check.out" | grep -v -E '^\s*$' || status=1
grep -q '^backend: JCublasBackend' "$work/gpu-check.out" || { echo "ND4J did not load its CUDA backend"; status=1; }
kernels="$(sed -n 's/^kernels ran: //p' "$work/gpu-check.out")"
cudnn_used="$(sed -n 's/^cudnn used: //p' "$work/gpu-check.out")"

# ---- 4. benchmarks ----------------------------------------------------------------------------------
if (( status == 0 )); then
  say "model benchmark (stock layers, batch 32 training, batch 256 inference)"
  java "${java_opts[@]}" -cp "$cp" dev.imdbstream.benchmarks.model.ModelBenchmark --lstm stock --train-batches "$train_batches" \
    --infer-batches 5 --repeats "$repeats" --profile false 2>&1 | tee "$work/model-benchmark.out" | grep -i -E 'samples/s|backend' || status=1
  say "a short training run of the notebook's network, as the trainer trains it (one run)"
  java "${java_opts[@]}" -cp "$cp" dev.imdbstream.benchmarks.trainer.ParallelRunsBenchmark --parallel 1 \
    --train-batches "$train_batches" 2>&1 | tee "$work/training.out" | grep -i -E 'samples|backend' || status=1
fi

say "summary"
echo "GPU: $gpu_name, compute capability $compute_cap ($verdict), driver $driver, driver's CUDA $driver_cuda"
echo "nd4j-cuda: CUDA ${cuda_preset_version%%-*}, cuDNN $(echo "$cuda_preset_version" | cut -d- -f2) (preset $cuda_preset_version)"
echo "kernels ran: ${kernels:-no}; cuDNN LSTM ran: ${cudnn_used:-no}"
echo "outputs in $work"
exit "$status"
