#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker engine, cluster or Grafana needed). Installs what it
# lacks from Debian's packages (docker-compose, prometheus for promtool) and the npm registry (the schema
# packages of package-lock.json). Run from anywhere; .ci/run calls it after `./mvnw -B verify`.
#   1. docker-compose config -q: the compose file alone, with the GPU override, with the demo profile;
#      and it must refuse to render without GF_ADMIN_PASSWORD (no default password) or IMDB_DATA_DIR.
#   2. kubectl kustomize of every overlay (+ the Prometheus Operator component), each document validated
#      against the Kubernetes schemas, unknown fields included (k8s-validate.mjs).
#   3. promtool check config of both scrape configurations; promtool check rules of every dashboard
#      query, expanded (PromQL syntax); every metric a dashboard uses is declared in a service's sources.
#   4. The topic definitions (compose/k8s script, Strimzi KafkaTopics) match dev.imdbstream.common.kafka.Topics.
#   5. The shell scripts the containers run parse (sh -n).
# Prints one line per check and "N passed, N failed" at the end; exit 1 when any failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -rf "$root"/k8s/overlays/.check-*' EXIT

passed=0
failed=0
check() {
  local name="$1"; shift
  if "$@" > "$work/out" 2>&1; then
    echo "ok   $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name"
    sed 's/^/     /' "$work/out" | tail -n 40
    failed=$((failed + 1))
  fi
}

apt_ready=false
need_apt() {
  local cmd="$1" package="$2"
  command -v "$cmd" > /dev/null 2>&1 && return 0
  if [[ $apt_ready == false ]]; then
    apt-get update -qq > /dev/null 2>&1 || true
    apt_ready=true
  fi
  echo "installing Debian package $package for $cmd"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" > "$work/apt.log" 2>&1 \
    || { tail -n 5 "$work/apt.log"; return 1; }
}

need_apt docker-compose docker-compose
need_apt promtool prometheus
need_apt node nodejs
if ! command -v kubectl > /dev/null 2>&1; then
  echo "kubectl is missing: install it (Debian/Ubuntu: package kubectl from the Kubernetes apt repository)" >&2
fi
if [[ ! -d "$here/node_modules/kubernetes-models" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || echo "npm ci failed in $here" >&2
fi

# ---- 1. docker compose ----
# The two variables the file requires (no defaults on purpose); deploy/checks/compose-check.sh runs it for real.
compose_env=(GF_ADMIN_PASSWORD=check IMDB_DATA_DIR=/data-dir)
compose_ok() {
  env "${compose_env[@]}" docker-compose -f docker-compose.yml config -q
}
compose_gpu_ok() {
  env "${compose_env[@]}" docker-compose -f docker-compose.yml -f docker-compose.gpu.yml config -q
}
compose_demo_ok() {
  env "${compose_env[@]}" docker-compose -f docker-compose.yml --profile demo config -q
}
compose_needs() { # VARIABLE WHY: renders with the other variables only
  local others=("${compose_env[@]/#$1=*/}")
  if env -u "$1" ${others[@]} docker-compose -f docker-compose.yml config -q 2>&1; then
    echo "docker-compose rendered the file without $1: $2"
    return 1
  fi
}
check "docker-compose config -q (docker-compose.yml)" compose_ok
check "docker-compose config -q (with docker-compose.gpu.yml)" compose_gpu_ok
check "docker-compose config -q (--profile demo)" compose_demo_ok
check "docker-compose refuses to render without GF_ADMIN_PASSWORD" \
  compose_needs GF_ADMIN_PASSWORD "Grafana would get a default password"
check "docker-compose refuses to render without IMDB_DATA_DIR" \
  compose_needs IMDB_DATA_DIR "Docker would create the data folder empty and the ingestor fail"

# ---- 2. kustomize + schemas ----
render_and_validate() {
  local overlay="$1" out="$work/$(basename "$1").yaml"
  kubectl kustomize "$overlay" > "$out" && node "$here/k8s-validate.mjs" "$out"
}
for overlay in k8s/overlays/cpu k8s/overlays/gpu k8s/overlays/strimzi; do
  check "kubectl kustomize $overlay + schema validation" render_and_validate "$overlay"
done
operator_overlay="$(mktemp -d -p k8s/overlays .check-XXXX)"
printf 'resources: [../cpu]\ncomponents: [../../components/prometheus-operator]\n' > "$operator_overlay/kustomization.yaml"
check "kubectl kustomize cpu + components/prometheus-operator + schema validation" render_and_validate "$operator_overlay"
gpu_has_gpu_limit() {
  kubectl kustomize k8s/overlays/gpu | grep -q 'nvidia.com/gpu: "1"'
}
check "gpu overlay requests nvidia.com/gpu" gpu_has_gpu_limit

# ---- 3. Prometheus and dashboards ----
check "promtool check config prometheus/prometheus.yml" promtool check config prometheus/prometheus.yml
check "promtool check config prometheus/prometheus-k8s.yml" promtool check config prometheus/prometheus-k8s.yml
dashboard_syntax() {
  node "$here/dashboards.mjs" rules "$work/dashboard-rules.yml" && promtool check rules "$work/dashboard-rules.yml"
}
check "every dashboard query parses (promtool check rules)" dashboard_syntax
if [[ -d trainer/src && -d scorer/src ]]; then
  check "every dashboard metric is declared by the trainer's or scorer's sources" node "$here/dashboards.mjs" names
else
  echo "skip dashboard metric names: trainer/ and scorer/ are not in this tree"
fi

# ---- 4. topics ----
check "topic definitions match dev.imdbstream.common.kafka.Topics" deploy/kafka/generate.sh --check

# ---- 5. scripts ----
check "sh -n deploy/kafka/create-topics.sh" sh -n deploy/kafka/create-topics.sh
check "sh -n deploy/experiment/start-experiment.sh" sh -n deploy/experiment/start-experiment.sh

echo "deploy-checks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
