#!/usr/bin/env bash
# The development server and the background worker together (`make run`). Stopping this
# script in any way (Ctrl-C, TERM from make or kill, HUP, one of the two exiting) stops
# both, the worker's auto-reload child included: each runs in a process group of its own,
# and the whole group is signalled.
#   RKPK      the rkpk command (default .venv/bin/rkpk)
#   ADDRESS   where to serve (default 127.0.0.1:8000)
set -u
RKPK=${RKPK:-.venv/bin/rkpk}
ADDRESS=${ADDRESS:-127.0.0.1:8000}

# Job control: every background job gets its own process group, and the terminal's Ctrl-C
# reaches only this script, which stops the groups in order below.
set -m
"$RKPK" db_worker --queue-name '*' &
worker=$!
"$RKPK" runserver "$ADDRESS" &
server=$!

stopped=
stop() {
    [ -n "$stopped" ] && return
    stopped=1
    # The worker finishes the job it is running (TERM is its graceful stop); a job cut
    # short anyway is run again at its next start (see README, "Background jobs").
    kill -TERM -- "-$server" "-$worker" 2>/dev/null
    wait
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP
trap stop EXIT

# Until either ends; a trapped signal interrupts the wait at once.
wait -n
