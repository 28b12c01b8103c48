#!/bin/sh
# A deploy script as a project would have: it reads the model from its
# environment (set by mlwb model promote) and fails when asked to.
echo "deploying $MLWB_MODEL_NAME v$MLWB_MODEL_VERSION as $MLWB_MODEL_ALIAS to $DEPLOY_TARGET"
echo "artifact=$MLWB_MODEL_ARTIFACT"
echo "sha256=$MLWB_MODEL_SHA256"
[ -z "$DEPLOY_LOG" ] || echo "start $MLWB_MODEL_VERSION" >> "$DEPLOY_LOG"
# A slow deploy (a rollout that takes a while).
if [ -n "$DEPLOY_SLEEP" ]; then
	: > deploying
	sleep "$DEPLOY_SLEEP"
fi
[ -z "$DEPLOY_LOG" ] || echo "end $MLWB_MODEL_VERSION" >> "$DEPLOY_LOG"
if [ -n "$DEPLOY_FAIL" ]; then
	echo "health check failed" >&2
	exit 1
fi
