namespace Serverless.Workflow.Training;

/// <summary>Orchestration and activity names, shared by the Functions wrappers and the local DTFx registration.</summary>
public static class WorkflowNames
{
    public const string TrainModel = "TrainModel";
    public const string PrepareDataset = "PrepareDataset";
    public const string RunTrials = "RunTrials";
    public const string DeployChampion = "DeployChampion";
    public const string RecordRun = "RecordRun";
}
