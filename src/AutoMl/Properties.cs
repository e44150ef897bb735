using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Serverless.AutoMl.Tests")]
// The orchestrator's tests drive a durable search past the history's cap (RetainedTrials.Cap).
[assembly: InternalsVisibleTo("Serverless.Workflow.Tests")]
