#!/usr/bin/env bash
# pdpsctl as a user types it, against addresses where nothing listens: a command that
# got as far as an RPC fails with UNAVAILABLE (exit status 1), so exit status 2 and
# "unknown option" show the option was refused before anything was sent.
#   commands_test.sh PATH_TO_PDPSCTL
set -u
ctl=("$1" --addr=127.0.0.1:1 --referrals-addr=127.0.0.1:1 --workforce-addr=127.0.0.1:1
     --token=x)
failed=0

# expect STATUS TEXT ARGS...: the exit status, and TEXT somewhere in stdout or stderr.
expect() {
  local want=$1 text=$2
  shift 2
  local out rc
  out=$("${ctl[@]}" "$@" 2>&1 </dev/null)
  rc=$?
  if [[ $rc != "$want" || $out != *"$text"* ]]; then
    echo "FAIL: pdpsctl $*: exit $rc (want $want), output:" >&2
    echo "$out" | head -5 >&2
    failed=1
  fi
}

unknown='unknown option'
# One of each way a command reaches its first RPC: Run, an etag read first, a
# read-modify-write, a paging loop, the health client, the event feed, and none.
expect 2 'unknown option --overdu for "complaints list"; did you mean --overdue?' \
  complaints list --overdu
expect 2 'did you mean --leavers?' staff list --levers
expect 2 "$unknown --bogus for \"staff list\"" staff list --bogus=1
expect 2 'did you mean --offer?' referrals award R --ofer=O
expect 2 'did you mean --reason?' decline O --reasn=NO_CAPACITY
expect 2 'did you mean --learning?' complaints answer C --outcome=UPHELD --lerning=x
expect 2 'did you mean --grade?' staff update S --grde=A
expect 2 'did you mean --plan-days?' rules set --framework=F --plan-day=3
expect 2 'did you mean --answer-days?' rules set --framework=F --answer-day=10
expect 2 'did you mean --turnover-target?' rules set --framework=F --turnover-targt=8
expect 2 '--answer-days=ten for "rules set" is not a whole number' \
  rules set --framework=F --answer-days=ten
expect 2 'did you mean --postcode?' providers update P --postcod=SE1
expect 2 'did you mean --date?' action-plans complete P --item=0 --dat=2026-01-01
expect 2 "$unknown --bogus" action-plans get P --bogus
expect 2 'did you mean --user?' token --org=X --roles=commissioner --usr=U
expect 2 "$unknown --bogus for \"health\"" health --bogus
expect 2 "$unknown --bogus for \"events\"" events --bogus
expect 2 "$unknown --page-size for \"orgs get\"" orgs get ID --page-size=5
expect 2 'did you mean --json?' inbox --jsn

expect 2 '--workers=five for "capacity submit" is not a whole number' \
  capacity submit --framework=F --month=2026-11 --workers=five
expect 2 '--page-size=ten for "staff list" is not a whole number' staff list --page-size=ten

# Amounts are in pounds; a bare whole number, which once meant pence, is refused
# (decision 0054) rather than sent as a hundred times the price meant.
expect 2 '--rate=2190 is a whole number, which pdpsctl used to read as pence' \
  bid O --rate=2190 --answers=a
expect 2 'write 21.90 for £21.90' bid O --rate=2190 --answers=a
expect 2 '--rate=21,90 is not an amount in pounds' bid O --rate=21,90 --answers=a
expect 2 '--rate=-5 must be above zero: a rate in pounds' bid O --rate=-5 --answers=a
expect 2 '--rate=POUNDS is required' bid O --answers=a
expect 2 '--net-assets=5000 is a whole number' \
  accounts record --provider=P --framework=F --year-end=2026-03-31 --net-assets=5000
expect 2 '--net-assets=5000 is a whole number' accounts revise A --reason=audited --net-assets=5000
expect 1 UNAVAILABLE accounts revise A --reason=audited --net-assets=-15000.00
expect 1 UNAVAILABLE bid O --rate=21.90 --answers=a
expect 1 UNAVAILABLE bid O --rate=£21.90 --answers=a
expect 1 UNAVAILABLE accounts record --provider=P --framework=F --year-end=2026-03-31 \
  --current-assets=£72,000 --net-assets=-15000.00

# Tokens the services would refuse are not printed.
expect 2 '--user must be a UUID' token --org=1dd38d26-0000-4000-8000-000000000001 \
  --roles=commissioner --user=abc
expect 2 '--org must be a UUID' token --org=nope --roles=commissioner

# Help.
expect 0 'usage: pdpsctl' help
expect 0 'usage: pdpsctl' staff list --help
expect 2 "$unknown --bogus for \"help\"" help --bogus

# Options the commands read reach the RPC.
expect 1 UNAVAILABLE complaints list --overdue --page-size=5 --json
expect 1 UNAVAILABLE referrals award R --offer=O --rationale=why
expect 1 UNAVAILABLE staff update S --grade=A --etag=E
expect 1 UNAVAILABLE rules set --framework=F --plan-days=3
expect 1 UNAVAILABLE rules set --framework=F --answer-days=10 --turnover-target=8
expect 1 UNAVAILABLE action-plans complete P --item=0 --date=2026-01-01
expect 1 UNAVAILABLE admissions suspend A --reason=why --action=Audit@2026-01-05

exit $failed
