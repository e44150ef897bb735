using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Serverless.AutoMl.Tests")]
