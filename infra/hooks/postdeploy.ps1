# Windows twin of postdeploy.sh: subscribes the OnDatasetUploaded blob trigger to BlobCreated events under
# datasets/, retrying while the freshly deployed host starts and creates its blobs_extension key.
$ErrorActionPreference = 'Stop'

$attempts = 6
for ($i = 1; ; $i++) {
    az deployment group create `
        --resource-group $env:AZURE_RESOURCE_GROUP `
        --name dataset-events `
        --template-file infra/app/dataset-events.bicep `
        --parameters functionAppName=$env:AZURE_FUNCTION_APP_NAME systemTopicName=$env:DATASETS_SYSTEM_TOPIC_NAME `
        --only-show-errors --output none
    if ($LASTEXITCODE -eq 0) {
        Write-Host 'Event Grid subscription datasets-blob-created is in place.'
        exit 0
    }
    if ($i -ge $attempts) {
        Write-Error 'Could not create the Event Grid subscription; rerun: azd hooks run postdeploy'
    }
    Write-Host "Function host not ready yet (attempt $i/$attempts); retrying in 30 s."
    Start-Sleep -Seconds 30
}
