// The app's user-assigned identity: created before the app so its role assignments exist when the host
// first starts, and reusable by the deployment storage, AzureWebJobsStorage and App Insights.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output principalId string = identity.properties.principalId
