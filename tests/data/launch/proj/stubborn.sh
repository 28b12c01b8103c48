# Ignores SIGTERM: only SIGKILL ends it.
trap 'echo "stubborn: ignoring TERM"' TERM
echo "stubborn: started"
while :; do
	sleep 0.1
done
