#!/bin/sh
# Starts the first experiment once, so that a newcomer sees training curves appear (docker compose job
# `experiment`, k8s Job `first-experiment`). Idempotent: the request names its experiment id, and a 409
# "exists already" from the trainer counts as done. A 409 "no data set" is retried until the ingestor's
# manifest reached the trainer.
# Environment:
#   TRAINER_URL        http://trainer:8082
#   TRAINER_API_TOKEN  the bearer token POST /experiments needs (one of the trainer's TRAINER_API_TOKENS)
#   FIRST_EXPERIMENT   the POST /experiments body (JSON; empty: {"experimentId":"first"}, the trainer's
#                      default grid), or "off" to start nothing
#   ATTEMPTS, PAUSE_S  retries while the data set is not there yet (60 x 10 s)
set -eu
url="${TRAINER_URL:-http://trainer:8082}/experiments"
default_body='{"experimentId":"first"}'
body="${FIRST_EXPERIMENT:-$default_body}"
attempts="${ATTEMPTS:-60}"
pause="${PAUSE_S:-10}"

if [ "$body" = "off" ]; then
  echo "FIRST_EXPERIMENT=off: starting no experiment"
  exit 0
fi

# The token travels in a header file, not on curl's command line (visible to other processes).
umask 077
if [ -n "${TRAINER_API_TOKEN:-}" ]; then
  printf 'Authorization: Bearer %s\n' "$TRAINER_API_TOKEN" > /tmp/auth.header
else
  : > /tmp/auth.header
fi

i=1
while [ "$i" -le "$attempts" ]; do
  code=$(curl -sS -o /tmp/answer.json -w '%{http_code}' -H @/tmp/auth.header -H 'Content-Type: application/json' \
    -d "$body" "$url" || echo 000)
  answer=$(cat /tmp/answer.json 2>/dev/null || true)
  case "$code" in
    202)
      echo "experiment started: $answer"
      exit 0 ;;
    409)
      case "$answer" in
        *"exists already"*)
          echo "experiment already there, nothing to do: $answer"
          exit 0 ;;
      esac ;;
    400)
      echo "the trainer refused FIRST_EXPERIMENT: $answer" >&2
      exit 1 ;;
    401)
      echo "the trainer refused the token: set TRAINER_API_TOKEN to one of its TRAINER_API_TOKENS" >&2
      exit 1 ;;
  esac
  echo "attempt $i/$attempts: HTTP $code $answer; retrying in ${pause}s"
  i=$((i + 1))
  sleep "$pause"
done
echo "no experiment started after $attempts attempts" >&2
exit 1
