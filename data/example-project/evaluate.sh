#!/bin/sh
# Evaluate a model file written by train.sh: prints test metrics.
model=
while [ $# -gt 0 ]; do
	case $1 in
	--model) model=$2; shift 2 ;;
	*) echo "evaluate.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ ! -f "$model" ]; then
	echo "evaluate.sh: no model file '$model'" >&2
	exit 1
fi
va=$(sed -n 's/^val_acc: //p' "$model")
echo "evaluating $model on 10000 test examples"
awk -v va="$va" 'BEGIN {
	printf "test_acc: %.4f\n", va - 0.004
	printf "test_loss: %.4f\n", (1 - va + 0.004) * 2.6
}'
