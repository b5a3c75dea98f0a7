#!/usr/bin/env bash
# `docker-compose up`, for real: the compose file run as a user runs it, under a real Docker engine.
#   1. installs Debian's docker.io (Docker 20.10), docker-compose (Compose v1 1.29.2), debootstrap and kcat when
#      missing, and starts a Docker engine of its own (data in COMPOSE_CHECK_DOCKER_ROOT, its own bridge), stopped
#      at the end;
#   2. builds stand-ins for the images that cannot be pulled here (no image registry): a minimal Debian
#      (debootstrap, the host's certificate authorities added), then deploy/checks/standins/Dockerfile: Debian's
#      OpenJDK 17 JRE and JDK + Maven, a Kafka image from the project's Kafka jars (Maven Central) that honours
#      the KAFKA_* environment as apache/kafka does, Debian's Prometheus and curl. They reach the compose file
#      through BUILD_IMAGE, JRE_IMAGE, KAFKA_IMAGE, PROMETHEUS_IMAGE and CURL_IMAGE; Grafana has no stand-in,
#      so every service but Grafana runs (deploy/checks/check-deploy.sh checks its dashboards' queries);
#   3. checks that `docker-compose up` without IMDB_DATA_DIR stops at once with the message that says what to do;
#   4. `docker-compose build` (Compose v1 builds through the Docker CLI; Docker 20.10's needs DOCKER_BUILDKIT=1) of
#      the project's images by deploy/docker/Dockerfile, then `docker-compose up -d` with a one-run
#      FIRST_EXPERIMENT, and waits until kafka, prometheus, trainer and scorer are healthy and topics, ingestor and
#      experiment exited 0;
#   5. sends 200 labelled test reviews of the real data set with kcat to the external listener, in batches, and
#      kills the scorer's process mid-stream (a crash: `docker kill` would count as a manual stop, which no
#      restart policy restarts); the restart policy must bring it back, and the outputs read back with
#      read_committed must be exactly one per review (predictions + dead letters), each prediction naming its model;
#   6. Prometheus: every scrape target up and the scorer's series present, before the crash and after it;
#   7. `docker-compose down -v` must leave no container, network or volume of the project;
#   8. the same file with Compose v2 (`docker compose`, Debian's docker-compose 2.26 package, from Debian 13's
#      archive through a private apt configuration: Debian 12 has only v1): the missing-data message, build,
#      `up -d` (FIRST_EXPERIMENT=off) until healthy and exited 0, `down -v` leaving nothing.
# Prints one line per check, the time from `up` to the first prediction and the containers' memory, and
# "N passed, N failed" at the end; exit 1 when any failed. Runs as root (CI: .ci/run).
# Environment: IMDB_DATA_DIR (../shared/data), COMPOSE_CHECK_DIR (run/compose-check), COMPOSE_CHECK_DOCKER_ROOT
# (its docker/: a lasting folder keeps the images, build cache and Maven downloads between runs), host ports
# KAFKA_HOST_PORT (29094), TRAINER_HOST_PORT (28082), SCORER_HOST_PORT (28083), PROMETHEUS_HOST_PORT (29090).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

data="$(cd "${IMDB_DATA_DIR:-$root/../shared/data}" 2> /dev/null && pwd)" || data=""
dir="${COMPOSE_CHECK_DIR:-$root/run/compose-check}"
docker_root="${COMPOSE_CHECK_DOCKER_ROOT:-$dir/docker}"
reviews=200
project=imdbcheck
bridge=imdbcheck0
bridge_cidr=10.213.0.1/24
address_pool=10.213.64.0/18

# shellcheck source=lib.sh
source "$here/lib.sh"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
finish() {
  summary compose-check
  exit
}
# wait_for DESCRIPTION SECONDS COMMAND...: polls every 2 s; returns 1 on timeout.
wait_for() {
  local what="$1" limit="$2" start=$SECONDS; shift 2
  until "$@" > /dev/null 2>&1; do
    if (( SECONDS - start >= limit )); then log "timed out after ${limit}s waiting for $what"; return 1; fi
    sleep 2
  done
}

mkdir -p "$dir"
if [[ $(id -u) != 0 ]]; then echo "compose-check needs root (it starts a Docker engine)"; fail "running as root"; finish; fi
if [[ -z $data || ! -f $data/aclImdb_v1.tar.gz ]]; then fail "data in ${IMDB_DATA_DIR:-../shared/data} (set IMDB_DATA_DIR)"; finish; fi

# ---- 1. packages and the engine ---------------------------------------------------------------------
missing=()
[[ -x /usr/sbin/dockerd && -x /usr/bin/docker ]] || missing+=(docker.io)
[[ -x /usr/bin/docker-compose ]] || missing+=(docker-compose)
command -v debootstrap > /dev/null || missing+=(debootstrap)
command -v kcat > /dev/null || missing+=(kcat)
command -v python3 > /dev/null || missing+=(python3)
if (( ${#missing[@]} )); then
  log "installing Debian's ${missing[*]}"
  apt-get update -qq > /dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > "$dir/apt.log" 2>&1 \
    || { tail -n 5 "$dir/apt.log"; fail "install ${missing[*]}"; finish; }
fi
# Debian's Docker CLI (20.10, BuildKit built in) first: another docker on the PATH may need a buildx plugin.
export PATH="/usr/bin:/usr/sbin:$PATH"

exec_root="$(mktemp -d /tmp/imdbcheck-docker.XXXXXX)"   # short: the engine's sockets live there
export DOCKER_HOST="unix://$exec_root/docker.sock"
export DOCKER_CONFIG="$exec_root/config"
dockerd_pid=""
stop_engine() {
  if [[ -n $dockerd_pid ]] && kill -0 "$dockerd_pid" 2> /dev/null; then
    local ids; ids="$(docker ps -q 2> /dev/null)"
    [[ -n $ids ]] && docker kill $ids > /dev/null 2>&1
    kill "$dockerd_pid"
    for _ in $(seq 60); do kill -0 "$dockerd_pid" 2> /dev/null || break; sleep 1; done
    kill -0 "$dockerd_pid" 2> /dev/null && kill -9 "$dockerd_pid"
  fi
  ip link delete "$bridge" 2> /dev/null
  # The engine leaves the NAT and forwarding rules of its bridge and address pool behind (a compose network's own
  # go with the network): remove them.
  local table rule
  for table in nat filter; do
    iptables -t "$table" -S 2> /dev/null | grep -E -- "$bridge|${address_pool%%.64.*}\." | sed 's/^-A /-D /' \
      | while read -r rule; do eval iptables -t "$table" "$rule" 2> /dev/null; done
  done
  # A network namespace of a container the engine did not get to clean up stays mounted under its exec root.
  awk -v root="$exec_root" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l
  rm -rf "$exec_root"
}
trap stop_engine EXIT

mkdir -p "$docker_root"
ip link delete "$bridge" 2> /dev/null
ip link add name "$bridge" type bridge && ip addr add "$bridge_cidr" dev "$bridge" && ip link set "$bridge" up \
  || { fail "bridge $bridge for the engine"; finish; }
log "starting dockerd (data in $docker_root)"
dockerd --storage-driver=overlay2 --data-root "$docker_root" --exec-root "$exec_root/exec" \
  --pidfile "$exec_root/dockerd.pid" -H "$DOCKER_HOST" --bridge "$bridge" \
  --default-address-pool "base=$address_pool,size=24" > "$dir/dockerd.log" 2>&1 &
dockerd_pid=$!
if wait_for "the Docker engine" 60 docker info; then pass "dockerd started ($(docker version -f '{{.Server.Version}}'))"
else tail -n 20 "$dir/dockerd.log"; fail "dockerd started"; finish; fi

# What an interrupted earlier run left in a lasting data root.
leftovers="$(docker ps -aq --filter "label=com.docker.compose.project=$project")"
[[ -n $leftovers ]] && docker rm -f $leftovers > /dev/null
docker network ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker network rm > /dev/null
docker volume ls -q --filter "label=com.docker.compose.project=$project" | xargs -r docker volume rm > /dev/null

export COMPOSE_PROJECT_NAME="$project"
export DOCKER_BUILDKIT=1   # Compose v1 1.29 builds through the Docker CLI by default (COMPOSE_DOCKER_CLI_BUILD)
export KAFKA_HOST_PORT="${KAFKA_HOST_PORT:-29094}" TRAINER_HOST_PORT="${TRAINER_HOST_PORT:-28082}"
export SCORER_HOST_PORT="${SCORER_HOST_PORT:-28083}" PROMETHEUS_HOST_PORT="${PROMETHEUS_HOST_PORT:-29090}"
export GRAFANA_HOST_PORT=28030 GF_ADMIN_PASSWORD=compose-check   # Grafana does not run; the file needs both
export TRAINER_API_TOKEN=compose-check-token-0123456789
export REVISION="$(git rev-parse --short=12 HEAD 2> /dev/null || echo unknown)"   # baked into the trainer image
bootstrap="localhost:$KAFKA_HOST_PORT"

# ---- 2. stand-in base images ------------------------------------------------------------------------
stage_start=$SECONDS
mirror="$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2> /dev/null | head -n 1)"
if ! docker image inspect imdb-check/debian:bookworm > /dev/null 2>&1; then
  log "debootstrap: a minimal Debian bookworm"
  rootfs="$dir/rootfs"
  rm -rf "$rootfs"
  if debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" \
      > "$dir/debootstrap.log" 2>&1; then
    # The host's certificate authorities (HTTPS to Maven Central passes one of them here), no services started
    # by package scripts during image builds, no package files kept.
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/" 2> /dev/null
    chroot "$rootfs" update-ca-certificates > /dev/null
    printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d" && chmod +x "$rootfs/usr/sbin/policy-rc.d"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import - imdb-check/debian:bookworm > /dev/null
    rm -rf "$rootfs"
  else
    tail -n 5 "$dir/debootstrap.log"
  fi
fi
check "base image imdb-check/debian:bookworm (debootstrap + docker import)" docker image inspect imdb-check/debian:bookworm

log "stand-in images: jre, maven, kafka, prometheus, curl"
standins="$dir/standins"
rm -rf "$standins" && cp -r "$here/standins" "$standins"
./mvnw -B -q -f "$here/standins/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$standins/kafka/libs" > "$dir/kafka-libs.log" 2>&1 || tail -n 20 "$dir/kafka-libs.log"
maven_version="$(sed -n 's|.*/apache-maven/\([0-9.]*\)/.*|\1|p' .mvn/wrapper/maven-wrapper.properties)"
standins_ok=true
for target in jre maven kafka prometheus curl; do
  if ! docker build -q --target "$target" --build-arg MAVEN_VERSION="$maven_version" -t "imdb-check/$target" "$standins" \
      > "$dir/standin-$target.log" 2>&1; then
    tail -n 20 "$dir/standin-$target.log"; standins_ok=false
  fi
done
check "stand-in images built from Debian packages and Maven Central ($((SECONDS - stage_start)) s)" $standins_ok
$standins_ok || finish
export BUILD_IMAGE=imdb-check/maven JRE_IMAGE=imdb-check/jre KAFKA_IMAGE=imdb-check/kafka
export PROMETHEUS_IMAGE=imdb-check/prometheus CURL_IMAGE=imdb-check/curl

# ---- 3. a fresh clone without data ------------------------------------------------------------------
compose=(docker-compose)
no_data_stops() {
  local out
  out="$(env -u IMDB_DATA_DIR "${compose[@]}" up -d 2>&1)" && { echo "up went on without IMDB_DATA_DIR"; return 1; }
  echo "$out"
  grep -q "set IMDB_DATA_DIR to the folder with aclImdb_v1.tar.gz" <<< "$out" \
    && [[ -z $(docker ps -aq --filter "label=com.docker.compose.project=$project") ]] \
    && [[ -z $(docker network ls -q --filter "label=com.docker.compose.project=$project") ]]
}
check "docker-compose up without IMDB_DATA_DIR stops at once with what to do, creating nothing" no_data_stops
export IMDB_DATA_DIR="$data"

# ---- 4. build and up --------------------------------------------------------------------------------
# The image build keeps Maven's downloads in a BuildKit cache mount (id imdb-stream-m2). Where this machine has a
# Maven repository already (CI ran ./mvnw verify first), it seeds that cache from it, so that nothing is downloaded
# twice; the build itself still resolves every artifact through Maven inside the image.
if [[ -d "$HOME/.m2/repository" ]]; then
  stage_start=$SECONDS
  seed_cache() {
    docker build -q -f - "$HOME/.m2/repository" <<'END'
FROM imdb-check/maven
RUN --mount=type=cache,id=imdb-stream-m2,target=/root/.m2,sharing=locked --mount=type=bind,target=/seed \
    mkdir -p /root/.m2/repository && cp -a /seed/. /root/.m2/repository/
END
  }
  check "Maven cache of the image build seeded from $HOME/.m2/repository" seed_cache
  log "seeded in $((SECONDS - stage_start))s"
fi
log "docker-compose build (deploy/docker/Dockerfile)"
stage_start=$SECONDS
check "docker-compose build ingestor trainer scorer" docker-compose build ingestor trainer scorer
build_s=$((SECONDS - stage_start))
cp "$check_output" "$dir/build.log"
log "built in ${build_s}s"

export FIRST_EXPERIMENT='{"experimentId":"compose-check","sizes":[100],"variants":["random"],"seeds":[1],"hyperparameters":{"maxEpochs":1,"validationSize":200,"testSize":500}}'
services=(kafka topics prometheus ingestor trainer experiment scorer)
cid() { "${compose[@]}" ps -a -q "$1" 2> /dev/null; }
state() { docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{if .State.Health}}{{.State.Health.Status}}{{end}}' "$(cid "$1")" 2> /dev/null; }
healthy() { [[ $(state "$1") == "running 0 healthy" ]]; }
exited_0() { [[ $(state "$1") == "exited 0 " ]]; }
exited_not_0() { local s; s="$(state "$1")"; [[ $s == exited* && $s != "exited 0 " ]]; }
one_shot() { # SERVICE SECONDS: it ran and exited 0
  if wait_for "$1 done" "$2" eval "exited_0 $1 || exited_not_0 $1" && exited_0 "$1"; then
    pass "$1 exited 0 ($(docker logs "$(cid "$1")" 2>&1 | tail -n 1 | cut -c1-90))"
  else fail "$1 exited 0 ($(state "$1"))"; "${compose[@]}" logs --tail 20 "$1"; fi
}
# up_and_wait LABEL: `up -d` of every service but grafana, then each one healthy or exited 0.
up_and_wait() {
  log "${compose[*]} up -d ${services[*]}"
  up_start=$(date +%s%N)
  check "$1 up -d (every service but grafana)" "${compose[@]}" up -d "${services[@]}"
  local s
  for s in kafka prometheus; do check "$s healthy" wait_for "$s healthy" 300 healthy "$s"; done
  one_shot topics 300
  one_shot ingestor 600
  for s in trainer scorer; do check "$s healthy" wait_for "$s healthy" 300 healthy "$s"; done
  one_shot experiment 300
}
nothing_left() {
  local what
  what="$(docker ps -aq --filter "label=com.docker.compose.project=$project")"
  what+="$(docker network ls -q --filter "label=com.docker.compose.project=$project")"
  what+="$(docker volume ls -q --filter "label=com.docker.compose.project=$project")"
  [[ -z $what ]] || { echo "left: $what"; return 1; }
}
up_and_wait "docker-compose"

# ---- 5. reviews in, outputs out, a crash in between -------------------------------------------------
python3 - "$data/aclImdb_v1.tar.gz" "$reviews" > "$dir/reviews.tsv" <<'EOF'
# key<TAB>{"id","text","label"}: the first N/2 positive and N/2 negative test reviews of the archive.
import json, sys, tarfile
path, n = sys.argv[1], int(sys.argv[2])
taken = {"pos": 0, "neg": 0}
with tarfile.open(path, "r:gz") as tar:
    for member in tar:
        parts = member.name.split("/")
        if len(parts) == 4 and parts[1] == "test" and parts[2] in taken and taken[parts[2]] < n // 2:
            text = tar.extractfile(member).read().decode("utf-8").replace("\t", " ")
            label = 1 if parts[2] == "pos" else 0
            key = f"check-{parts[2]}-{parts[3][:-4]}"
            print(f"{key}\t" + json.dumps({"id": key, "text": text, "label": label}))
            taken[parts[2]] += 1
            if sum(taken.values()) == n:
                break
EOF
check "$reviews labelled test reviews taken from the archive" test "$(wc -l < "$dir/reviews.tsv")" -eq "$reviews"

# outputs: every committed prediction and dead letter, one "topic<TAB>key<TAB>value" line each.
outputs() {
  for topic in predictions reviews.dlq; do
    kcat -C -b "$bootstrap" -t "$topic" -o beginning -e -q -X isolation.level=read_committed -f "$topic\t%k\t%s\n" 2> /dev/null
  done
}
count_outputs() { outputs | grep -c '^'; }
at_least() { (( $(count_outputs) >= $1 )); }
send() { # FIRST LAST: lines of reviews.tsv
  sed -n "$1,$2p" "$dir/reviews.tsv" | kcat -P -b "$bootstrap" -t reviews -K $'\t' -X message.timeout.ms=60000
}

log "sending the first 20 reviews (they wait for the first model)"
check "kcat sent reviews 1-20 to $bootstrap" send 1 20
if wait_for "the first prediction" 900 at_least 1; then
  first_s=$(( ($(date +%s%N) - up_start) / 1000000000 ))
  pass "first prediction ${first_s} s after docker-compose up"
else fail "a first prediction"; fi
check "outputs for reviews 1-20" wait_for "20 outputs" 300 at_least 20

prometheus() { curl -fsS "http://localhost:$PROMETHEUS_HOST_PORT/api/v1/$1"; }
targets_up() {
  prometheus targets | python3 -c '
import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
jobs = sorted(t["labels"]["job"] for t in targets)
print(jobs, [t["health"] for t in targets])
sys.exit(0 if {"prometheus", "scorer", "trainer"} <= set(jobs) and all(t["health"] == "up" for t in targets) else 1)'
}
scorer_series() {
  prometheus 'query?query=scorer_predictions_total' | python3 -c '
import json, sys
result = json.load(sys.stdin)["data"]["result"]
print(result)
sys.exit(0 if result and sum(float(r["value"][1]) for r in result) > 0 else 1)'
}
check "Prometheus: every scrape target up (trainer, scorer, prometheus)" wait_for "targets up" 120 targets_up
check "Prometheus: scorer_predictions_total scraped" wait_for "scorer series" 120 scorer_series

docker stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.CPUPerc}}' > "$dir/stats.txt" 2> /dev/null

log "streaming reviews 21-$reviews in batches of 10, the scorer crashing after the second batch"
scorer_id="$(cid scorer)"
(
  for ((first = 21; first <= reviews; first += 10)); do
    send "$first" $((first + 9 < reviews ? first + 9 : reviews)) || echo "send $first failed"
    sleep 0.5
  done
) > "$dir/sender.log" 2>&1 &
sender=$!
wait_for "outputs of the second batch" 120 at_least 40
outputs_at_crash=$(count_outputs)
restarts_before="$(docker inspect -f '{{.RestartCount}}' "$scorer_id")"
kill -9 "$(docker inspect -f '{{.State.Pid}}' "$scorer_id")"
log "killed the scorer's JVM (SIGKILL) with $outputs_at_crash outputs committed"
wait "$sender"
check "every review sent (kcat)" test ! -s "$dir/sender.log"
back() {
  [[ $(docker inspect -f '{{.RestartCount}}' "$scorer_id") -gt $restarts_before ]] && healthy scorer
}
check "scorer restarted by its restart policy (unless-stopped) and healthy again" wait_for "scorer back" 300 back
check "outputs for all $reviews reviews" wait_for "$reviews outputs" 600 at_least "$reviews"
sleep 5   # anything a retried transaction would add comes now or never
outputs > "$dir/outputs.tsv"
exactly_once() {
  python3 - "$dir/reviews.tsv" "$dir/outputs.tsv" <<'EOF'
import collections, json, sys
sent = [line.split("\t", 1)[0] for line in open(sys.argv[1], encoding="utf-8")]
outputs = [line.rstrip("\n").split("\t", 2) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
per_key = collections.Counter(key for _, key, _ in outputs)
twice = [k for k, n in per_key.items() if n > 1]
missing = [k for k in sent if k not in per_key]
stray = [k for k in per_key if k not in set(sent)]
unnamed = []
for topic, key, value in outputs:
    if topic == "predictions":
        scores = json.loads(value).get("scores") or []
        if not scores or not all(s.get("modelId") for s in scores):
            unnamed.append(key)
dlq = sum(1 for topic, _, _ in outputs if topic == "reviews.dlq")
print(f"sent {len(sent)}, outputs {len(outputs)} ({dlq} dead letters), twice {len(twice)}, missing {len(missing)}, "
      f"stray {len(stray)}, predictions without a model {len(unnamed)}")
print("models:", sorted({s["modelId"] for t, _, v in outputs if t == "predictions" for s in json.loads(v)["scores"]}))
sys.exit(0 if len(outputs) == len(sent) and not twice and not missing and not stray and not unnamed else 1)
EOF
}
check "exactly one output per review, read_committed, each prediction naming its model" exactly_once
sed 's/^/     /' "$check_output"
check "Prometheus: every scrape target up after the crash" wait_for "targets up" 120 targets_up

# ---- 7. down -v -------------------------------------------------------------------------------------
docker-compose logs --no-color > "$dir/compose.log" 2>&1
check "docker-compose down -v" docker-compose down -v
check "no container, network or volume of the project left" nothing_left
v1_first_s="${first_s:-none}"

# ---- 8. Compose v2 ----------------------------------------------------------------------------------
log "Compose v2: Debian 13's docker-compose package, as a plugin of this run's Docker CLI"
apt_dir="$dir/apt-v2"
rm -rf "$apt_dir" && mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb ${mirror:-http://deb.debian.org/debian} trixie main" > "$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Dir::State::status=/dev/null
  -o APT::Sandbox::User=root)
mkdir -p "$DOCKER_CONFIG/cli-plugins"
get_compose_v2() {
  apt-get "${apt_opts[@]}" update -qq \
    && (cd "$apt_dir" && apt-get "${apt_opts[@]}" download -qq docker-compose) \
    && dpkg-deb --fsys-tarfile "$apt_dir"/docker-compose_*.deb \
      | tar -xO ./usr/libexec/docker/cli-plugins/docker-compose > "$DOCKER_CONFIG/cli-plugins/docker-compose" \
    && chmod +x "$DOCKER_CONFIG/cli-plugins/docker-compose" && docker compose version
}
check "docker compose (v2) from Debian's docker-compose package" get_compose_v2
if docker compose version > /dev/null 2>&1; then
  compose=(docker compose)
  check "docker compose up without IMDB_DATA_DIR stops at once with what to do, creating nothing" no_data_stops
  check "docker compose build ingestor trainer scorer" docker compose build ingestor trainer scorer
  export FIRST_EXPERIMENT=off
  up_and_wait "docker compose"
  check "docker compose down -v" docker compose down -v
  check "no container, network or volume of the project left" nothing_left
fi

echo "build ${build_s} s; first prediction ${v1_first_s} s after docker-compose up; memory when all ran (docker stats):"
sed 's/^/  /' "$dir/stats.txt"
stop_engine
trap - EXIT
dockerd_alive() { kill -0 "$dockerd_pid" 2> /dev/null; }
check "the Docker engine stopped" eval '! dockerd_alive'
finish
