# n steps, 0.8 s apart (long enough that a loaded sanitizer build still
# sees the job running where the tests look), each with a step and a loss line.
i=1
while [ "$i" -le "$1" ]; do
	echo "step: $i"
	echo "loss: $i"
	sleep 0.8
	i=$((i + 1))
done
