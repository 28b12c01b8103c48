#!/bin/sh
# Install a promoted model into a local folder, as a deploy hook would
# push it to a server.  `mlwb model promote` runs this with
# MLWB_MODEL_NAME, MLWB_MODEL_VERSION, MLWB_MODEL_ALIAS,
# MLWB_MODEL_ARTIFACT and MLWB_MODEL_SHA256 set.
target=deployed
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=$2; shift 2 ;;
	*) echo "deploy.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
name=${MLWB_MODEL_NAME:?deploy.sh: run me through mlwb model promote}
if [ -z "$MLWB_MODEL_ARTIFACT" ] || [ ! -e "$MLWB_MODEL_ARTIFACT" ]; then
	echo "deploy.sh: $name v$MLWB_MODEL_VERSION has no artifact to deploy" >&2
	exit 1
fi
dest=$target/$name/${MLWB_MODEL_ALIAS:-current}
mkdir -p "$dest.new"
cp -R "$MLWB_MODEL_ARTIFACT" "$dest.new/"
{
	echo "name: $name"
	echo "version: $MLWB_MODEL_VERSION"
	echo "alias: $MLWB_MODEL_ALIAS"
	echo "sha256: $MLWB_MODEL_SHA256"
	echo "deployed_at: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$dest.new/DEPLOYED"
# Swap in one rename so a reader never sees half a model.
rm -rf "$dest.old"
[ -e "$dest" ] && mv "$dest" "$dest.old"
mv "$dest.new" "$dest"
rm -rf "$dest.old"
echo "deployed $name v$MLWB_MODEL_VERSION to $dest"
