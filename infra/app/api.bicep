// The function app on a Flex Consumption plan. Every connection uses the user-assigned identity: no account
// key or storage connection string appears in the settings.
param name string
param planName string
param location string
param tags object
param identityName string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param instanceMemoryMB int
param maximumInstanceCount int
param retrainSchedule string
param taskHubName string
param autoMlBudgetSeconds int
param autoMlParallelTrials int
param autoMlMetric string
param autoMlDataFiles string
param llmProvider string
param llmModel string
param llmEndpoint string
param keyVaultSecretUri string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  // azd finds the deploy target of service `api` (azure.yaml) by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (there is no system-assigned one).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Flex Consumption takes the worker runtime from here, not from FUNCTIONS_WORKER_RUNTIME.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    // Optional LLM settings are left out when empty so the app sees them as unset, not as "".
    properties: union(
      {
        // Host storage, Durable Functions task hub and the blob trigger: identity-based connection.
        AzureWebJobsStorage__accountName: storage.name
        AzureWebJobsStorage__credential: 'managedidentity'
        AzureWebJobsStorage__clientId: identity.properties.clientId
        // DefaultAzureCredential (keyless azure-openai) picks the user-assigned identity by this client id.
        AZURE_CLIENT_ID: identity.properties.clientId
        APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        TaskHubName: taskHubName
        RetrainSchedule: retrainSchedule
        AutoMl__BudgetSeconds: string(autoMlBudgetSeconds)
        // Trials spread over every instance the app may scale to; each instance runs maxConcurrentActivityFunctions.
        AutoMl__Workers: string(maximumInstanceCount)
        Chain__Llm__Provider: llmProvider
      },
      autoMlParallelTrials > 0 ? { AutoMl__ParallelTrials: string(autoMlParallelTrials) } : {},
      empty(autoMlMetric) ? {} : { AutoMl__Metric: autoMlMetric },
      empty(autoMlDataFiles) ? {} : { AutoMl__DataFiles: autoMlDataFiles },
      empty(llmModel) ? {} : { Chain__Llm__Model: llmModel },
      empty(llmEndpoint) ? {} : { Chain__Llm__Endpoint: llmEndpoint },
      empty(keyVaultSecretUri) ? {} : { Chain__Llm__ApiKey: '@Microsoft.KeyVault(SecretUri=${keyVaultSecretUri})' }
    )
  }
}

output url string = 'https://${functionApp.properties.defaultHostName}'
