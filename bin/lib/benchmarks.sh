# The benchmarks module (benchmarks/), for the bin/*-benchmark.sh scripts. Source it from bash with `root` set to the
# repository root.
#
#   benchmarks_classpath    builds the module and what it depends on with the reactor (test-compile: ScorerBenchmark runs
#                           on the scorer's test classes; no test runs, nothing installed) and prints its runtime classpath

benchmarks_classpath() {
  local cp_file="$root/benchmarks/target/benchmarks.classpath"
  printf '%s build: ./mvnw -B -q -pl benchmarks -am test-compile dependency:build-classpath\n' "$(date +%H:%M:%S)" >&2
  # Every module of the reactor writes the file; benchmarks, built last, has the classpath that counts.
  (cd "$root" && ./mvnw -B -q -pl benchmarks -am test-compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
    -Dmdep.includeScope=runtime > /dev/null) || { echo "the build failed" >&2; return 1; }
  echo "$root/benchmarks/target/classes:$(cat "$cp_file")"
}
