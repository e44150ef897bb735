// Event Grid subscription that feeds the OnDatasetUploaded blob trigger (Event Grid source, required on Flex
// Consumption). Deployed by the azure.yaml postdeploy hook, not by main.bicep: the blobs_extension key exists
// only once the deployed host has loaded the blob trigger, and Event Grid validates the webhook on creation.
param functionAppName string
param systemTopicName string

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

// By resource id: Bicep has no type for Microsoft.Web/sites/host, and an untyped symbol is a BCP081 warning.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', functionApp.apiVersion).systemKeys.blobs_extension

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource datasetUploads 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'datasets-blob-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.OnDatasetUploaded&code=${blobsExtensionKey}'
        // One blob per delivery, the shape the blob extension's webhook expects.
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/datasets/'
    }
  }
}
