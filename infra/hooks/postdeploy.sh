#!/bin/sh
# Subscribes the OnDatasetUploaded blob trigger to BlobCreated events under datasets/. Runs after deploy:
# the host creates the blobs_extension key when it loads the trigger, and Event Grid validates the webhook
# on creation, so the first attempts can fail while a fresh (scaled-to-zero) app starts.
set -eu

attempts=6
i=1
while :; do
  if az deployment group create \
      --resource-group "$AZURE_RESOURCE_GROUP" \
      --name dataset-events \
      --template-file infra/app/dataset-events.bicep \
      --parameters functionAppName="$AZURE_FUNCTION_APP_NAME" systemTopicName="$DATASETS_SYSTEM_TOPIC_NAME" \
      --only-show-errors --output none; then
    echo "Event Grid subscription datasets-blob-created is in place."
    exit 0
  fi
  if [ "$i" -ge "$attempts" ]; then
    echo "Could not create the Event Grid subscription; rerun: azd hooks run postdeploy" >&2
    exit 1
  fi
  echo "Function host not ready yet (attempt $i/$attempts); retrying in 30 s."
  i=$((i + 1))
  sleep 30
done
