using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Tests;

public sealed class NativeEnvironmentTests
{
    [Fact]
    public void The_OpenMP_wait_policy_the_engine_sets_is_what_native_code_reads()
    {
        _ = new AutoMlEngine();

        var managed = Environment.GetEnvironmentVariable(AutoMlEngine.OpenMpWaitPolicy);
        Assert.NotNull(managed);
        Assert.Equal(managed, NativeEnvironment.NativeValue(AutoMlEngine.OpenMpWaitPolicy));
    }

    [Fact]
    public void A_variable_already_set_is_kept()
    {
        const string Name = "SERVERLESS_NATIVE_ENVIRONMENT_TEST";
        NativeEnvironment.SetDefault(Name, "first");

        Assert.Equal("first", NativeEnvironment.SetDefault(Name, "second"));
        Assert.Equal("first", NativeEnvironment.NativeValue(Name));
    }
}
