# The checks' common lines, sourced by the scripts in this folder: one PASS or FAIL line per check (a failure
# shows the end of what the command printed), figures between them, and the closing `N passed, N failed`.
#   check DESCRIPTION COMMAND...   runs COMMAND; PASS when it succeeds
#   pass DESCRIPTION / fail DESCRIPTION
#   figure TEXT...                 an indented line of what was measured
#   summary [NAME]                 prints "[NAME: ]N passed, N failed"; fails when a check failed
passed=0
failed=0
check_output="${TMPDIR:-/tmp}/imdb-stream-check.$$.out"

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
check() {
  local what="$1"; shift
  if "$@" > "$check_output" 2>&1; then
    pass "$what"
  else
    fail "$what"
    sed 's/^/     /' "$check_output" | tail -n 15
  fi
}
figure() { echo "     $*"; }
summary() {
  rm -f "$check_output"
  echo "${1:+$1: }$passed passed, $failed failed"
  (( failed == 0 ))
}
