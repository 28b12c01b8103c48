# n steps, 0.3 s apart, each with a step and a loss line.
i=1
while [ "$i" -le "$1" ]; do
	echo "step: $i"
	echo "loss: $i"
	sleep 0.3
	i=$((i + 1))
done
