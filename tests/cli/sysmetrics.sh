#!/bin/sh
# System metrics of launched jobs (issue 15): the supervisor samples the
# job's process group (CPU %, RSS) and each GPU (a fake nvidia-smi on
# PATH: utilisation, memory, power, temperature; "[N/A]" skipped) every
# --sample-every seconds, as metrics system/... of the run; no GPU series
# without nvidia-smi; 0 (option or project setting) turns it off; bad
# values are refused.
. "$(dirname "$0")/lib.sh"

mkdir gbin
cat > gbin/nvidia-smi <<'EOS'
#!/bin/sh
case "$1" in
--query-gpu=index,*) printf '0, 87, 30512, 250.31, 71\n1, [N/A], 1024, 60.00, 40\n' ;;
--query-gpu=driver_version) echo 535.104.05 ;;
*) exit 0 ;;
esac
EOS
chmod +x gbin/nvidia-smi
# A job that works a little, then waits: 2 samples at 1 s.
cat > burn.sh <<'EOS'
i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done
sleep 2.5
EOS
cat > mlwb.yaml <<'EOS'
entry_points:
  burn:
    command: sh burn.sh
EOS
"$MLWB" init >/dev/null
launched() {
	sed -n 's/^run \([0-9a-f]*\) .*/\1/p' "$T/out" "$T/err" | head -1
}
# count RUN KEY: the points of a metric ("" when none).
count() {
	"$MLWB" runs show "$1" --format json | python3 -c '
import json, sys
m = json.load(sys.stdin)["metrics"].get(sys.argv[1])
print(m["count"] if m else "")' "$2"
}
last() {
	"$MLWB" runs show "$1" --format json | python3 -c '
import json, sys
print(json.load(sys.stdin)["metrics"][sys.argv[1]]["last"])' "$2"
}

ok "launch with a GPU, sampling every second" env PATH="$T/gbin:$PATH" \
    "$MLWB" launch burn --sample-every 1
R=$(launched)
like "runs show says how often" "$("$MLWB" runs show "$R" --format csv)" \
    '^repro,system_metrics,every 1 s'
n=$(count "$R" system/cpu_percent)
ok "CPU sampled at least twice ($n)" test "${n:-0}" -ge 2
ok "RSS sampled as often" test "$(count "$R" system/rss_mb)" = "$n"
ok "RSS is the group's, in MB (> 0.1)" python3 -c "assert $(last "$R" system/rss_mb) > 0.1"
ok "CPU % is a percentage" python3 -c "assert 0 <= $(last "$R" system/cpu_percent) <= 400"
is "GPU 0 utilisation" "$(last "$R" system/gpu0/util_percent)" 87
is "GPU 0 memory used (MB)" "$(last "$R" system/gpu0/memory_used_mb)" 30512
is "GPU 0 power (W)" "$(last "$R" system/gpu0/power_w)" 250.31
is "GPU 0 temperature (C)" "$(last "$R" system/gpu0/temperature_c)" 71
is "GPU 1 memory" "$(last "$R" system/gpu1/memory_used_mb)" 1024
is "GPU 1's [N/A] utilisation is no series" "$(count "$R" system/gpu1/util_percent)" ""
ok "the points are ordinary metrics" "$MLWB" metrics "$R" system/gpu0/util_percent --format csv
like "step by sample" "$(sed -n 2p "$T/out")" '^0,[0-9]+,87$'

ok "launch without nvidia-smi" "$MLWB" launch burn --sample-every 1
R2=$(launched)
ok "CPU still sampled" test -n "$(count "$R2" system/cpu_percent)"
unlike "no GPU series" "$("$MLWB" runs show "$R2" --format csv)" 'system/gpu'

ok "--sample-every 0 turns it off" env PATH="$T/gbin:$PATH" \
    "$MLWB" launch burn --sample-every 0
R3=$(launched)
unlike "no system metrics" "$("$MLWB" runs show "$R3" --format csv)" '^metric,system/'
like "show says off" "$("$MLWB" runs show "$R3" --format csv)" '^repro,system_metrics,off$'

printf 'system_metrics:\n  sample_every: 0\n' >> mlwb.yaml
ok "the project's setting" "$MLWB" launch burn
unlike "off too" "$("$MLWB" runs show "$(launched)" --format csv)" '^metric,system/'
printf 'entry_points:\n  a: [x]\nsystem_metrics:\n  sample_every: often\n' > bad.yaml
exits 1 "a bad project setting is refused" "$MLWB" project check --project bad.yaml
like "with line and column" "$(cat "$T/err")" "bad.yaml:4:17: sample_every must be"
exits 2 "a bad --sample-every is refused" "$MLWB" launch burn --sample-every -1
like "saying why" "$(cat "$T/err")" "--sample-every -1: a number of seconds"

done_testing
