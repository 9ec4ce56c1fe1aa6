#!/bin/sh
# Sums the busted summary lines ("12 successes / 0 failures / 1 error / 0 pending : 0.5 seconds")
# of the logs named, prints one line "N passed, N failed, N pending" (errors count as failed)
# and exits 1 when something failed or a log has no summary (busted died before the end).
#   sh mk/busted-summary.sh build/lua5.4/busted.log [more logs...]
pass=0; fail=0; pend=0; bad=""
for log in "$@"; do
  line=$(grep -E '[0-9]+ success(es)? / [0-9]+ failures? / [0-9]+ errors? / [0-9]+ pending' \
         "$log" 2>/dev/null | tail -n 1)
  if [ -z "$line" ]; then bad="$bad $log"; continue; fi
  set -- $(echo "$line" | grep -oE '[0-9]+ (success(es)?|failures?|errors?|pending)' |
           grep -oE '^[0-9]+')
  pass=$((pass + $1)); fail=$((fail + $2 + $3)); pend=$((pend + $4))
done
[ -z "$bad" ] || echo "no busted summary in:$bad"
[ -z "$bad" ] || fail=$((fail + 1))
echo "$pass passed, $fail failed, $pend pending"
[ "$fail" = 0 ]
