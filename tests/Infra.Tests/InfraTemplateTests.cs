using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Workflow.Datasets;
using static Serverless.Infra.Tests.ArmTemplate;

namespace Serverless.Infra.Tests;

public sealed partial class InfraTemplateTests(CompiledInfra infra) : IClassFixture<CompiledInfra>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0a3b2";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    [Theory]
    [InlineData(CompiledInfra.MainFile)]
    [InlineData(CompiledInfra.DatasetEventsFile)]
    public void Template_compiles_with_no_error_or_linter_warning(string file)
    {
        var build = infra.Builds[file];

        Assert.True(build.ExitCode == 0 && build.Diagnostics.Trim().Length == 0, $"bicep build {file}:\n{build.Diagnostics}");
    }

    [Fact]
    public void Linter_is_strict()
    {
        var rules = JsonNode.Parse(infra.ReadRepoFile("infra/bicepconfig.json"),
            documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!["analyzers"]!["core"]!["rules"]!.AsObject();

        // Rules that are off by default must be on; only the network/date-dependent ones may be off.
        foreach (var rule in new[] { "explicit-values-for-loc-params", "no-hardcoded-location", "no-loc-expr-outside-params", "what-if-short-circuiting", "no-unused-params", "no-unused-vars" })
        {
            Assert.Equal("error", (string?)rules[rule]?["level"]);
        }

        var off = rules.Where(r => (string?)r.Value?["level"] == "off").Select(r => r.Key).Order();
        Assert.Equal(["use-recent-api-versions", "use-recent-module-versions"], off);
    }

    [Fact]
    public void Plan_is_flex_consumption()
    {
        var plan = Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True((bool?)plan["properties"]?["reserved"], "Flex Consumption is Linux: reserved must be true");
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_from_an_identity_read_package()
    {
        var site = Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/sites");
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.Contains("functionapp", (string?)site["kind"]);
        Assert.Contains("linux", (string?)site["kind"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]?["type"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);
        Assert.Equal("blobContainer", (string?)config["deployment"]?["storage"]?["type"]);
        Assert.Contains("parameters('deploymentContainerName')", (string?)config["deployment"]?["storage"]?["value"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]?["storage"]?["authentication"]?["type"]);
        Assert.NotNull(config["scaleAndConcurrency"]?["instanceMemoryMB"]);
        Assert.NotNull(config["scaleAndConcurrency"]?["maximumInstanceCount"]);
        // azd deploys service `api` to the resource carrying this tag.
        Assert.Contains("'azd-service-name', 'api'", (string?)site["tags"]);
    }

    [Fact]
    public void Azd_deploys_the_function_app_project()
    {
        var azureYaml = infra.ReadRepoFile("azure.yaml");

        Assert.Matches(@"(?m)^  api:\s*\n\s+project: \./src/FunctionApp\s*\n\s+language: dotnet\s*\n\s+host: function", azureYaml);
        Assert.True(File.Exists(Path.Combine(infra.RepoRoot, "src/FunctionApp/FunctionApp.csproj")));
    }

    [Fact]
    public void Azd_parameters_map_the_environment_onto_existing_parameters()
    {
        var parameters = JsonNode.Parse(infra.ReadRepoFile("infra/main.parameters.json"))!["parameters"]!.AsObject();
        var declared = infra.Main["parameters"]!.AsObject();

        Assert.Equal("${AZURE_ENV_NAME}", (string?)parameters["environmentName"]?["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)parameters["location"]?["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)parameters["principalId"]?["value"]);
        Assert.All(parameters, p => Assert.True(declared.ContainsKey(p.Key), $"main.parameters.json sets unknown parameter {p.Key}"));
        Assert.Contains("subscriptionDeploymentTemplate", (string?)infra.Main["$schema"]);
        Assert.Single(OfType(infra.Main, "Microsoft.Resources/resourceGroups"));
    }

    [Fact]
    public void Storage_is_identity_only_and_has_the_app_containers()
    {
        var storage = ModuleTemplate(infra.Main, "storage");
        var account = Single(storage, "Microsoft.Storage/storageAccounts");
        var containers = Single(storage, "Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.False((bool?)account["properties"]?["allowSharedKeyAccess"]);
        Assert.False((bool?)account["properties"]?["allowBlobPublicAccess"]);
        var names = ResolveVariables(storage, (string)containers["name"]!).ToList();
        Assert.Equal(["app-package", "datasets", "models", "runs"], names.Order());
        Assert.Equal("[variables('deploymentContainerName')]", (string?)storage["outputs"]?["deploymentContainerName"]?["value"]);
        Assert.Equal(["app-package"], ResolveVariables(storage, "variables('deploymentContainerName')"));
    }

    [Fact]
    public void Event_grid_system_topic_watches_the_storage_account()
    {
        var topic = Single(ModuleTemplate(infra.Main, "storage"), "Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic["properties"]?["topicType"]);
        Assert.Contains("Microsoft.Storage/storageAccounts", (string?)topic["properties"]?["source"]);
    }

    [Fact]
    public void Event_subscription_sends_datasets_blob_created_to_the_blob_trigger_webhook()
    {
        var subscription = Single(infra.DatasetEvents, "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var properties = subscription["properties"]!;
        var endpoint = properties["destination"]!["properties"]!["endpointUrl"]!.ToString();

        Assert.Equal("WebHook", (string?)properties["destination"]?["endpointType"]);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.OnDatasetUploaded&code=", endpoint);
        Assert.Contains("systemKeys.blobs_extension", endpoint);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], properties["filter"]!["includedEventTypes"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("/blobServices/default/containers/datasets/", (string?)properties["filter"]?["subjectBeginsWith"]);
    }

    [Theory]
    [InlineData("infra/hooks/postdeploy.sh")]
    [InlineData("infra/hooks/postdeploy.ps1")]
    public void Postdeploy_hook_deploys_the_event_subscription_with_the_provisioned_names(string hook)
    {
        var azureYaml = infra.ReadRepoFile("azure.yaml");
        var script = infra.ReadRepoFile(hook);
        var outputs = infra.Main["outputs"]!.AsObject();
        var templateParameters = infra.DatasetEvents["parameters"]!.AsObject().Select(p => p.Key);

        Assert.Matches(@"(?m)^hooks:\s*\n(\s*#.*\n)*\s+postdeploy:", azureYaml);
        Assert.Contains($"run: ./{hook}", azureYaml);
        Assert.Contains($"--template-file {CompiledInfra.DatasetEventsFile}", script);
        foreach (var output in new[] { "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "DATASETS_SYSTEM_TOPIC_NAME" })
        {
            Assert.True(outputs.ContainsKey(output), $"main.bicep must output {output} for the hook");
            Assert.Contains(output, script);
        }

        Assert.All(templateParameters, p => Assert.Contains($"{p}=", script));
    }

    [Fact]
    public void App_insights_sits_on_log_analytics_with_entra_only_ingestion()
    {
        var monitoring = ModuleTemplate(infra.Main, "monitoring");
        var insights = Single(monitoring, "Microsoft.Insights/components");
        var settings = AppSettings();

        Single(monitoring, "Microsoft.OperationalInsights/workspaces");
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string?)insights["properties"]?["WorkspaceResourceId"]);
        Assert.True((bool?)insights["properties"]?["DisableLocalAuth"]);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings.Keys);
        Assert.Matches(@"ClientId=\{0\};Authorization=AAD.*userAssignedIdentities", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void User_assigned_identity_is_created_and_used_by_the_app()
    {
        Single(ModuleTemplate(infra.Main, "identity"), "Microsoft.ManagedIdentity/userAssignedIdentities");
        var site = Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/sites");

        Assert.Contains("userAssignedIdentities", site["identity"]!["userAssignedIdentities"]!.ToJsonString());
        Assert.Contains("userAssignedIdentities", (string?)site["properties"]?["keyVaultReferenceIdentity"]);
    }

    [Theory]
    [InlineData("rbac-app")]
    [InlineData("rbac-user")]
    public void Principal_gets_storage_data_roles_and_metrics_publisher(string module)
    {
        var template = ModuleTemplate(infra.Main, module);
        var assigned = OfType(template, "Microsoft.Authorization/roleAssignments")
            .SelectMany(a => RoleIds(template, a).Select(role => (role, scope: (string?)a["scope"] ?? "")))
            .ToList();

        foreach (var role in new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor })
        {
            Assert.Contains(assigned, a => a.role == role && a.scope.Contains("Microsoft.Storage/storageAccounts"));
        }

        Assert.Contains(assigned, a => a.role == MonitoringMetricsPublisher && a.scope.Contains("Microsoft.Insights/components"));
    }

    [Fact]
    public void Roles_go_to_the_app_identity_and_optionally_to_the_deploying_user()
    {
        var app = Module(infra.Main, "rbac-app");
        var user = Module(infra.Main, "rbac-user");

        Assert.Contains("'identity'", (string?)app["properties"]?["parameters"]?["principalId"]?["value"]);
        Assert.Contains(".outputs.principalId.value", (string?)app["properties"]?["parameters"]?["principalId"]?["value"]);
        Assert.Equal("[parameters('principalId')]", (string?)user["properties"]?["parameters"]?["principalId"]?["value"]);
        Assert.Equal("[not(empty(parameters('principalId')))]", (string?)user["condition"]);
        Assert.Equal("", (string?)infra.Main["parameters"]?["principalId"]?["defaultValue"]);
    }

    [Fact]
    public void Host_storage_connection_is_identity_based_with_no_secret()
    {
        var settings = AppSettings();
        var raw = Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/sites/config").ToJsonString();

        Assert.Equal("parameters('storageAccountName')", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("'managedidentity'", settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("userAssignedIdentities", settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains(".clientId", settings["AzureWebJobsStorage__clientId"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        foreach (var secretMarker in new[] { "AccountKey", "DefaultEndpointsProtocol", "SharedAccessSignature", "listKeys", "listAccountSas" })
        {
            Assert.DoesNotContain(secretMarker, raw, StringComparison.OrdinalIgnoreCase);
        }

        // Flex Consumption rejects these: the runtime comes from functionAppConfig.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
    }

    [Theory]
    [InlineData("RetrainSchedule", "retrainSchedule", "0 0 3 * * *")]
    [InlineData("TaskHubName", "taskHubName", "automl")]
    [InlineData("Chain__Llm__Provider", "llmProvider", "none")]
    public void Setting_comes_from_a_main_parameter_with_its_default(string setting, string parameter, string defaultValue)
    {
        Assert.Equal($"parameters('{parameter}')", AppSettings()[setting]);
        Assert.Equal($"[parameters('{parameter}')]", (string?)ApiParameter(parameter));
        Assert.Equal(defaultValue, (string?)infra.Main["parameters"]?[parameter]?["defaultValue"]);
    }

    [Fact]
    public void Trials_spread_over_every_instance_the_app_may_scale_to()
    {
        Assert.Equal("string(parameters('maximumInstanceCount'))", AppSettings()["AutoMl__Workers"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)ApiParameter("maximumInstanceCount"));
    }

    [Fact]
    public void Parallel_trials_are_set_only_to_override_what_the_app_can_run()
    {
        var expression = (string)Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/sites/config")["properties"]!;

        Assert.Contains("if(greater(parameters('autoMlParallelTrials'), 0), createObject('AutoMl__ParallelTrials', string(parameters('autoMlParallelTrials'))), createObject())", expression);
        Assert.Equal(0, (int?)infra.Main["parameters"]?["autoMlParallelTrials"]?["defaultValue"]);
    }

    [Theory]
    [InlineData("AutoMl__BudgetSeconds", "autoMlBudgetSeconds")]
    public void AutoMl_setting_comes_from_an_int_parameter(string setting, string parameter)
    {
        Assert.Equal($"string(parameters('{parameter}'))", AppSettings()[setting]);
        Assert.Equal($"[parameters('{parameter}')]", (string?)ApiParameter(parameter));
        Assert.Equal("int", (string?)infra.Main["parameters"]?[parameter]?["type"]);
    }

    [Theory]
    [InlineData("AutoMl__Metric", "autoMlMetric", "parameters('autoMlMetric')")]
    [InlineData("AutoMl__DataFiles", "autoMlDataFiles", "parameters('autoMlDataFiles')")]
    [InlineData("Chain__Llm__Model", "llmModel", "parameters('llmModel')")]
    [InlineData("Chain__Llm__Endpoint", "llmEndpoint", "parameters('llmEndpoint')")]
    [InlineData("Chain__Llm__ApiKey", "keyVaultSecretUri", "format('@Microsoft.KeyVault(SecretUri={0})', parameters('keyVaultSecretUri'))")]
    public void Optional_setting_is_set_only_when_its_parameter_is(string setting, string parameter, string value)
    {
        var expression = (string)Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/sites/config")["properties"]!;

        Assert.Equal(value, AppSettings()[setting]);
        Assert.Contains($"if(empty(parameters('{parameter}')), createObject(), createObject('{setting}', {value}))", expression);
        Assert.Equal($"[parameters('{parameter}')]", (string?)ApiParameter(parameter));
        Assert.Equal("", (string?)infra.Main["parameters"]?[parameter]?["defaultValue"]);
    }

    [Fact]
    public void Data_files_parameter_allows_exactly_the_choices_the_app_reads()
    {
        var allowed = infra.Main["parameters"]!["autoMlDataFiles"]!["allowedValues"]!.AsArray().Select(v => (string)v!);

        Assert.Equal(Enum.GetNames<DataFiles>().Select(name => name.ToLowerInvariant()).Prepend(""), allowed);
    }

    private Dictionary<string, string> AppSettings() =>
        ObjectEntries(Single(ModuleTemplate(infra.Main, "api"), "Microsoft.Web/sites/config")["properties"]);

    private JsonNode? ApiParameter(string name) => Module(infra.Main, "api")["properties"]?["parameters"]?[name]?["value"];

    /// <summary>Role definition GUIDs an assignment (or its copy loop) grants, inline or through variables.</summary>
    private static IEnumerable<string> RoleIds(JsonNode template, JsonObject assignment)
    {
        var roleDefinitionId = (string)assignment["properties"]!["roleDefinitionId"]!;
        return ResolveVariables(template, roleDefinitionId).Append(roleDefinitionId)
            .SelectMany(text => Guid().Matches(text).Select(m => m.Value));
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}
