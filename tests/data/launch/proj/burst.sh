# n loss lines as fast as awk prints them: more than the supervisor may
# keep waiting between two flushes.
awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "loss: %d\n", i }'
