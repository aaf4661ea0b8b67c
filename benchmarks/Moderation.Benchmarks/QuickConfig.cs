using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Moderation.Benchmarks;

/// <summary>Few iterations: every class runs in a minute or two on the 2-core VM (numbers ±10–30 % under load).</summary>
public sealed class QuickConfig : ManualConfig
{
    public QuickConfig() => AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(5).WithLaunchCount(1));
}

/// <summary>For benchmarks with per-iteration state (a database that must be reset): one invocation per iteration.</summary>
public sealed class SingleInvocationConfig : ManualConfig
{
    public SingleInvocationConfig() => AddJob(Job.ShortRun.WithWarmupCount(2).WithIterationCount(12).WithLaunchCount(1)
        .WithInvocationCount(1).WithUnrollFactor(1));
}
