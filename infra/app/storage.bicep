// One account holds the Functions host state (AzureWebJobsStorage, Durable task hub), the app package and
// the app's data; identity-only access.
param name string
param systemTopicName string
param location string
param tags object

// The app's containers (see DESIGN.md, storage layout) and the Flex Consumption deployment package.
var deploymentContainerName = 'app-package'
var containerNames = ['datasets', 'models', 'runs', deploymentContainerName]

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
  }
]

// Source of BlobCreated events for the Event Grid blob trigger. Its subscription needs the deployed
// function's webhook key, so app/dataset-events.bicep adds it after deploy (azure.yaml postdeploy hook).
resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: systemTopicName
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output deploymentContainerName string = deploymentContainerName
