using System.Reflection;
using Microsoft.ML.Trainers.FastTree;

namespace Serverless.AutoMl.Training;

/// <summary>
/// ML.NET's FastTree-family trainers force two full, blocking collections at the start of every fit, and a third to
/// log the heap's size (their <c>AllowGC</c>, always true, settable by no option). Each one stops every thread of the
/// process for as long as it takes to trace its whole heap: about six per trial on a small dataset, 15-20% of a trial's
/// CPU in the CLI and more in a host whose heap holds a web server and the durable engine. The engine releases memory
/// itself, when there is a lot to release (<see cref="MemoryRelease"/>), so the trainers are told not to.
/// </summary>
internal static class ForcedCollections
{
    private const string AllowGcField = "AllowGC";

    /// <summary>The trainer, with its forced collections turned off when it is one of the FastTree family.</summary>
    public static T Off<T>(T trainer) where T : class
    {
        for (var type = trainer.GetType(); type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(FastTreeTrainerBase<,,>))
            {
                AllowGc(type).SetValue(trainer, false);
                break;
            }
        }
        return trainer;
    }

    private static FieldInfo AllowGc(Type fastTreeBase) =>
        fastTreeBase.GetField(AllowGcField, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingFieldException(fastTreeBase.Name, AllowGcField);
}
