using Moderation.Core.Policy;

namespace Moderation.Worker;

/// <summary>Bound from <c>Moderation:Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Moderation:Worker";

    /// <summary>Host the worker in this process. Set false where a separate worker process runs.</summary>
    public bool Enabled { get; set; } = true;

    public int BatchSize { get; set; } = 64;

    /// <summary>How often to look for work when nothing wakes the worker (another process ingesting, retries falling due).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claimed batch is ours; a worker that dies leaves it to others after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts before a comment that keeps failing is hidden and queued with reason scoring_failed.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubles with each failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many recent comments under the article the scorer sees as thread context.</summary>
    public int ThreadSiblings { get; set; } = 20;

    /// <summary>How long the worker trusts its in-memory copy of an article's recent comments (<see cref="ThreadCache"/>).</summary>
    public TimeSpan ThreadCacheAge { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Backoff(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, RetryDelay.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));
}

/// <summary>Bound from <c>Moderation:Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string Section = "Moderation:Reports";

    /// <summary>Distinct reporters that hide a comment until a moderator decides.</summary>
    public int HideAfter { get; set; } = 3;

    /// <summary>Reports one client address may send per minute.</summary>
    public int PerMinute { get; set; } = 30;

    /// <summary>The most that reports from one client address weigh together; below HideAfter, so one address cannot hide a comment.</summary>
    public double MaxWeightPerAddress { get; set; } = 2.0;

    public ReportPolicy Policy() => new(HideAfter, MaxWeightPerAddress);
}
