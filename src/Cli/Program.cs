using Serverless.Cli;

return await CliApp.RunAsync(args);
