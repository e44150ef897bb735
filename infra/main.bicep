targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; seeds the resource group name and the unique suffix of every resource.')
param environmentName string

@minLength(1)
@description('Region for all resources. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID). Gets the same data roles as the app so it can upload CSVs with --auth-mode login. Empty: none.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('Kind of principalId: User for a person, ServicePrincipal for a CI identity.')
param principalType string = 'User'

@description('NCRONTAB schedule (UTC) of the Retrain timer.')
param retrainSchedule string = '0 0 3 * * *'

@minLength(3)
@maxLength(45)
@description('Durable Functions task hub name (letters and digits, starting with a letter).')
param taskHubName string = 'automl'

@minValue(10)
@description('Wall-clock budget of one AutoML run, in seconds.')
param autoMlBudgetSeconds int = 300

@description('Metric AutoML optimizes when an upload names none (auc, f1, microAccuracy, rmse, ...). Empty: the task default.')
param autoMlMetric string = ''

@allowed(['', 'append', 'replace'])
@description('What a new file in a dataset folder does when its upload says nothing: append (train on every file) or replace (train on the newest). Empty: append.')
param autoMlDataFiles string = ''

@minValue(0)
@description('Trials a run keeps running at once. 0: what the app can run, maximumInstanceCount x maxConcurrentActivityFunctions (host.json), each trial keeping 256 MB of its instance.')
param autoMlParallelTrials int = 0

@allowed(['none', 'openai', 'azure-openai', 'openai-compatible'])
@description('LLM that composes answers; none answers offline.')
param llmProvider string = 'none'

@description('LLM model or deployment name. Empty: the provider default.')
param llmModel string = ''

@description('LLM endpoint (azure-openai, openai-compatible). Empty: the provider default.')
param llmEndpoint string = ''

@description('Key Vault secret URI holding the LLM API key, e.g. https://myvault.vault.azure.net/secrets/llm-key. Empty: no key setting.')
param keyVaultSecretUri string = ''

@allowed([512, 2048, 4096])
@description('Memory of each Flex Consumption instance; AutoML trials are memory-bound.')
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(1000)
@description('Scale-out ceiling of the function app: caps the bill of a burst.')
param maximumInstanceCount int = 40

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
// Names are computed here and passed to the modules (rather than read back from module outputs) so that
// What-If (azd provision --preview) can predict every resource id.
var names = {
  identity: 'id-api-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  applicationInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  systemTopic: 'evgt-${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    systemTopicName: names.systemTopic
    location: location
    tags: tags
  }
}

module appRoles 'app/rbac.bicep' = {
  name: 'rbac-app'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    principalKey: names.identity
    principalType: 'ServicePrincipal'
    storageAccountName: names.storage
    applicationInsightsName: names.applicationInsights
  }
  dependsOn: [storage, monitoring]
}

module userRoles 'app/rbac.bicep' = if (!empty(principalId)) {
  name: 'rbac-user'
  scope: rg
  params: {
    principalId: principalId
    principalKey: principalId
    principalType: principalType
    storageAccountName: names.storage
    applicationInsightsName: names.applicationInsights
  }
  dependsOn: [storage, monitoring]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    identityName: names.identity
    storageAccountName: names.storage
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsName: names.applicationInsights
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    retrainSchedule: retrainSchedule
    taskHubName: taskHubName
    autoMlBudgetSeconds: autoMlBudgetSeconds
    autoMlParallelTrials: autoMlParallelTrials
    autoMlMetric: autoMlMetric
    autoMlDataFiles: autoMlDataFiles
    llmProvider: llmProvider
    llmModel: llmModel
    llmEndpoint: llmEndpoint
    keyVaultSecretUri: keyVaultSecretUri
  }
  // The host reads storage and App Insights with the identity from its first start; appRoles also orders
  // this after the identity, storage and monitoring modules that it refers to by name.
  dependsOn: [appRoles]
}

// azd stores these in the environment; the postdeploy hook and the docs' commands read them.
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = names.functionApp
output AZURE_FUNCTION_APP_URL string = api.outputs.url
output AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_STORAGE_ACCOUNT_NAME string = names.storage
output DATASETS_SYSTEM_TOPIC_NAME string = names.systemTopic
