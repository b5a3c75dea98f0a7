#!/usr/bin/env bash
# Offline checks of the deployment files (no Docker engine, cluster or Grafana needed). Installs what it
# lacks from Debian's packages (docker-compose, prometheus for promtool) and the npm registry (the schema
# packages of package-lock.json). Run from anywhere; .ci/run calls it after `./mvnw -B verify`.
#   1. docker-compose config -q: the compose file alone, with the GPU override, with the demo profile;
#      and it must refuse to render without GF_ADMIN_PASSWORD (no default password), IMDB_DATA_DIR or
#      TRAINER_API_TOKEN. The secured
#      variant (docker-compose.secure.yml with deploy/compose/secure.env): it renders, refuses to render without its
#      env file or a secret, and publishes every port on 127.0.0.1 only.
#   2. kubectl kustomize of every overlay (and cpu with each component), each document validated against the
#      schemas of Kubernetes 1.27 (the oldest supported) and 1.36, unknown fields included (k8s-validate.mjs);
#      every pod template against Pod Security "restricted" (pod-security.mjs); every image against the
#      Dockerfile's targets, pom.xml's version and docker compose's images (images.mjs); the local overlay's
#      requests against a 4-CPU / 8-GiB node (resources.mjs); kafka-start.sh's settings from the pod name.
#   3. promtool check config of both scrape configurations; promtool check rules of every dashboard
#      query, expanded (PromQL syntax); every metric a dashboard uses is declared in a service's sources.
#   4. The topic definitions (compose/k8s script, Strimzi KafkaTopics) match dev.imdbstream.common.kafka.Topics, the users
#      and ACLs (compose script, Strimzi KafkaUsers) dev.imdbstream.common.kafka.KafkaAccess.
#   5. The shell scripts the containers run parse (sh -n).
# Prints one line per check and "N passed, N failed" at the end; exit 1 when any failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -rf "$root"/k8s/overlays/.check-*' EXIT

# shellcheck source=lib.sh
source "$here/lib.sh"

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
# Installed again whenever package-lock.json changed since the last install.
lock_sum="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$here/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error && echo "$lock_sum" > node_modules/.lock-sha256) \
    || echo "npm ci failed in $here" >&2
fi

# ---- 1. docker compose ----
# The variables the file requires (no defaults on purpose); deploy/checks/compose-check.sh runs it for real.
compose_env=(GF_ADMIN_PASSWORD=check IMDB_DATA_DIR=/data-dir TRAINER_API_TOKEN=check-token-0123456789)
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
check "docker-compose refuses to render without TRAINER_API_TOKEN" \
  compose_needs TRAINER_API_TOKEN "the trainer would refuse every experiment (401)"
secure_compose() { # env-file? then docker-compose arguments
  env GF_ADMIN_PASSWORD=check IMDB_DATA_DIR=/nonexistent KAFKA_PKI_PASSWORD=check-pki TRAINER_API_TOKEN=check-token KAFKA_INGESTOR_PASSWORD=i \
    KAFKA_TRAINER_PASSWORD=t KAFKA_SCORER_PASSWORD=s KAFKA_CLIENT_PASSWORD=c \
    docker-compose "$@" -f docker-compose.yml -f docker-compose.secure.yml config
}
compose_secure_loopback() {
  secure_compose --env-file deploy/compose/secure.env > "$work/secure-compose.yml" || return 1
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { parse } from "'"$here"'/node_modules/yaml/dist/index.js";
    const services = parse(readFileSync(process.argv[1], "utf8")).services;
    let published = 0;
    for (const [name, s] of Object.entries(services)) {
      for (const p of s.ports ?? []) {
        published++;
        const ip = typeof p === "string" ? p.split(":")[0] : p.host_ip;
        if (ip !== "127.0.0.1") throw new Error(`${name} publishes ${JSON.stringify(p)} beyond 127.0.0.1`);
      }
    }
    if (published < 5) throw new Error(`only ${published} published ports`);' "$work/secure-compose.yml"
}
compose_secure_needs_env_and_secrets() {
  if secure_compose > /dev/null 2>&1; then
    echo "the secured variant rendered without deploy/compose/secure.env (ports would not be bound to 127.0.0.1)"
    return 1
  fi
  if env -u KAFKA_TRAINER_PASSWORD GF_ADMIN_PASSWORD=check IMDB_DATA_DIR=/nonexistent KAFKA_PKI_PASSWORD=p TRAINER_API_TOKEN=t KAFKA_INGESTOR_PASSWORD=i \
      KAFKA_SCORER_PASSWORD=s KAFKA_CLIENT_PASSWORD=c docker-compose --env-file deploy/compose/secure.env \
      -f docker-compose.yml -f docker-compose.secure.yml config -q > /dev/null 2>&1; then
    echo "the secured variant rendered without KAFKA_TRAINER_PASSWORD"
    return 1
  fi
}
check "docker-compose config (secured variant): every published port on 127.0.0.1" compose_secure_loopback
check "docker-compose refuses the secured variant without its env file or a secret" compose_secure_needs_env_and_secrets

# ---- 2. Kubernetes ----
# Each overlay, and cpu with each component, rendered once into $work/<name>.yaml.
k8s_variant() {
  local name="$1" dir
  case "$name" in
    *+*)
      dir="$(mktemp -d -p k8s/overlays .check-XXXX)"
      printf 'resources: [../%s]\ncomponents: [../../components/%s]\n' "${name%%+*}" "${name#*+}" > "$dir/kustomization.yaml"
      ;;
    *) dir="k8s/overlays/$name" ;;
  esac
  kubectl kustomize "$dir" > "$work/$name.yaml"
}
render_and_validate() {
  k8s_variant "$1" && node "$here/k8s-validate.mjs" "$work/$1.yaml"
}
k8s_variants=(local cpu gpu strimzi cpu+prometheus-operator cpu+keda)
k8s_files=()
for variant in "${k8s_variants[@]}"; do
  k8s_files+=("$work/$variant.yaml")
  check "kubectl kustomize $variant + schemas of Kubernetes 1.27 and 1.36" render_and_validate "$variant"
done
for variant in "${k8s_variants[@]}"; do
  check "Pod Security restricted, service account tokens, requests/limits, pull policy: $variant" \
    node "$here/pod-security.mjs" "$work/$variant.yaml"
done
check "images: Dockerfile targets tagged with pom.xml's version, the same as docker compose's" \
  node "$here/images.mjs" "${k8s_files[@]}"
check "local overlay's requests fit a 4-CPU / 8-GiB node (3 CPUs, 6.5 GiB left for pods)" \
  node "$here/resources.mjs" "$work/local.yaml" --fits 3 6.5Gi
scaling_owned_by_autoscaler() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { parseAllDocuments } from "'"$here"'/node_modules/yaml/dist/index.js";
    for (const file of process.argv.slice(1)) {
      const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());
      const scorer = docs.find((d) => d?.kind === "Deployment" && d.metadata.name === "scorer");
      const owners = docs.filter((d) => ["HorizontalPodAutoscaler", "ScaledObject"].includes(d?.kind));
      if (scorer.spec.replicas !== undefined) throw new Error(`${file}: the scorer Deployment sets replicas`);
      if (owners.length !== 1) throw new Error(`${file}: ${owners.length} autoscalers of the scorer, expected one`);
    }' "${k8s_files[@]}"
}
check "scorer: replicas left to exactly one autoscaler (HPA, or KEDA's ScaledObject)" scaling_owned_by_autoscaler
gpu_has_gpu_limit() {
  grep -q 'nvidia.com/gpu: "1"' "$work/gpu.yaml"
}
check "gpu overlay requests nvidia.com/gpu" gpu_has_gpu_limit
kafka_start_settings() {
  local out
  out="$(POD_NAME=kafka-2 POD_NAMESPACE=ns LAUNCH_COMMAND=env sh k8s/base/kafka-start.sh)" || return 1
  grep -qx 'KAFKA_NODE_ID=2' <<< "$out" \
    && grep -qx 'KAFKA_LISTENERS=PLAINTEXT://:9092,CONTROLLER://:9093,EXTERNAL://127.0.0.1:9096' <<< "$out" \
    && grep -qx 'KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka-2.kafka-headless.ns.svc.cluster.local:9092,EXTERNAL://localhost:9096' <<< "$out" \
    && ! POD_NAME=kafka POD_NAMESPACE=ns LAUNCH_COMMAND=true sh k8s/base/kafka-start.sh 2> /dev/null \
    || { echo "$out"; return 1; }
}
check "kafka-start.sh: node id and EXTERNAL listener from the pod's ordinal" kafka_start_settings

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
check "topic, user and ACL definitions match dev.imdbstream.common.kafka.Topics and KafkaAccess" deploy/kafka/generate.sh --check

# ---- 5. scripts ----
check "sh -n deploy/kafka/create-topics.sh" sh -n deploy/kafka/create-topics.sh
check "sh -n deploy/kafka/create-acls.sh" sh -n deploy/kafka/create-acls.sh
check "sh -n deploy/kafka/secure/make-pki.sh" sh -n deploy/kafka/secure/make-pki.sh
check "sh -n deploy/experiment/start-experiment.sh" sh -n deploy/experiment/start-experiment.sh
check "sh -n k8s/base/kafka-start.sh" sh -n k8s/base/kafka-start.sh

summary deploy-checks
