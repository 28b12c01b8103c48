#!/bin/sh
# A deploy script as a project would have: it reads the model from its
# environment and fails when asked to.
echo "deploying $MLWB_MODEL_NAME v$MLWB_MODEL_VERSION as $MLWB_MODEL_ALIAS"
echo "artifact=$MLWB_MODEL_ARTIFACT"
echo "sha256=$MLWB_MODEL_SHA256"
if [ -n "$DEPLOY_FAIL" ]; then echo "health check failed" >&2; exit 1; fi
