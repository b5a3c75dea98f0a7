#!/bin/sh
# The OpenBLAS kernel type for this CPU: the widest vector instructions it has (AVX-512 SkylakeX, AVX2 Haswell or, on
# AMD/Hygon, Zen, AVX Sandybridge, else Prescott), the rule of dev.imdbstream.model.cpu.BlasKernel.bestFor (its test
# checks that the two agree). ND4J's OpenBLAS reads OPENBLAS_CORETYPE once, when it loads; without it, it detects the
# CPU itself and does not know CPUs newer than itself (model/README.md). POSIX sh: the Docker image runs it too.
#
#   blas-kernel.sh                  prints the kernel type (nothing when it cannot tell: not Linux on x86-64)
#   blas-kernel.sh exec CMD ARGS... runs CMD with OPENBLAS_CORETYPE set to it
# IMDB_BLAS_KERNEL, when set, is used instead (a deliberate choice, e.g. to compare kernels); BLAS_KERNEL_CPUINFO
# reads another file than /proc/cpuinfo (for the test).
cpuinfo="${BLAS_KERNEL_CPUINFO:-/proc/cpuinfo}"

best() {
  flags=" $(sed -n 's/^flags[[:space:]]*:[[:space:]]*//p' "$cpuinfo" 2> /dev/null | head -n 1) "
  vendor="$(sed -n 's/^vendor_id[[:space:]]*:[[:space:]]*//p' "$cpuinfo" 2> /dev/null | head -n 1)"
  has() { case "$flags" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
  if ! has sse2; then
    return 0
  elif has avx512vl && has avx2; then
    echo SkylakeX
  elif has avx2 && has fma; then
    case "$vendor" in AuthenticAMD | HygonGenuine) echo Zen ;; *) echo Haswell ;; esac
  elif has avx; then
    echo Sandybridge
  else
    echo Prescott
  fi
}

kernel="${IMDB_BLAS_KERNEL:-$(best)}"
if [ "${1:-}" = exec ]; then
  shift
  if [ -n "$kernel" ]; then
    OPENBLAS_CORETYPE="$kernel"
    export OPENBLAS_CORETYPE
  else
    unset OPENBLAS_CORETYPE
  fi
  exec "$@"
fi
[ -z "$kernel" ] || echo "$kernel"
