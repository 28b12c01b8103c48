#!/bin/sh
# A training script as mlwb launches it: Keras-like epoch lines with a
# '\r' progress bar, validation metrics, and a model file at the end.
# The curves are made up but behave: a higher learning rate learns faster
# and noisier, sgd slower than adam, large batches a little worse.
lr=0.01 epochs=10 batch=64 opt=adam delay=0.3 data=train.csv
while [ $# -gt 0 ]; do
	case $1 in
	--lr) lr=$2 ;;
	--epochs) epochs=$2 ;;
	--batch-size) batch=$2 ;;
	--optimizer) opt=$2 ;;
	--delay) delay=$2 ;;
	--data) data=$2 ;;
	*) echo "train.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
run=${MLWB_RUN_ID:-manual}
out=models/${MLWB_RUN_NAME:-$run}
echo "train.sh: learning rate $lr, $epochs epochs, batch size $batch, $opt"
rows=$(($(wc -l < "$data") - 1))
echo "loading $rows training examples from $data"
e=1
while [ "$e" -le "$epochs" ]; do
	echo "Epoch $e/$epochs"
	# One awk per epoch: the bar's steps (joined by \r) and the end line.
	awk -v e="$e" -v lr="$lr" -v b="$batch" -v opt="$opt" -v seed="$run" '
	function curve(t,   k) {
		k = lr * (opt == "sgd" ? 12 : 30) * (64 / b) ^ 0.3
		if (k > 3) k = 3
		return 0.12 + 2.2 * exp(-k * t)
	}
	BEGIN {
		n = 0; for (i = 1; i <= length(seed); i++) n = n * 31 + index("0123456789abcdef", substr(seed, i, 1))
		srand(n % 100000 + e)
		noise = (rand() - 0.5) * 0.06 * (1 + 10 * lr)
		steps = 5
		for (s = 1; s <= steps; s++) {
			loss = curve(e - 1 + s / steps) + noise
			bar = ""
			for (i = 1; i <= 20; i++) bar = bar (i <= s * 4 ? "=" : ".")
			printf "%4d/938 [%s] - ETA: %ds - loss: %.4f\r", s * 938 / steps, bar, steps - s, loss
		}
		loss = curve(e) + noise
		acc = 1 - loss / 2.6 - 0.02
		vl = loss * 1.08 + (e > 12 ? 0.01 * (e - 12) : 0) + noise / 2
		va = 1 - vl / 2.6 - 0.03
		printf " 938/938 [====================] - 2s 3ms/step - loss: %.4f - acc: %.4f\n", loss, acc
		printf "val_loss: %.4f - val_acc: %.4f\n", vl, va
		printf "%.4f\n", va > "/dev/stderr"
	}' 2>.last_val_acc
	sleep "$delay"
	e=$((e + 1))
done
mkdir -p "$out"
{
	echo "model: example-classifier"
	echo "run: $run"
	echo "lr: $lr"
	echo "epochs: $epochs"
	echo "batch_size: $batch"
	echo "optimizer: $opt"
	echo "val_acc: $(cat .last_val_acc)"
} > "$out/model.txt"
rm -f .last_val_acc
# The newest model also at a fixed path (the entry's outputs:).
mkdir -p models/latest
cp "$out/model.txt" models/latest/model.txt.new
mv models/latest/model.txt.new models/latest/model.txt
echo "saved model to $out/model.txt"
