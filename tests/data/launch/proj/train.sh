# A training script as mlwb runs it: epoch lines, a \r progress bar per
# epoch with ANSI colours, and a model file at the end.
lr=0.01 epochs=3
while [ $# -gt 0 ]; do
	case $1 in
	--lr) lr=$2; shift 2 ;;
	--epochs) epochs=$2; shift 2 ;;
	*) echo "train.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
echo "training with lr=$lr for $epochs epochs ($GREETING)"
e=1
while [ "$e" -le "$epochs" ]; do
	echo "Epoch $e/$epochs"
	printf ' 33%%|###   | loss=0.9\r 66%%|####  | loss=0.8\r'
	printf '\033[32m100%%\033[0m|######| loss: 0.%d\n' $((10 - e))
	echo "val_acc=0.$((70 + e))"
	e=$((e + 1))
done
echo "lr $lr epochs $epochs" > model.bin
echo "saved model.bin"
