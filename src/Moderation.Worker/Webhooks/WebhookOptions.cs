namespace Moderation.Worker.Webhooks;

/// <summary>Bound from <c>Moderation:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Moderation:Webhooks";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First retry delay; doubles with each failed attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a delivery is given up (and shown as failed in the log).</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Let webhooks reach loopback, private, link-local and unique-local addresses (and the cloud metadata
    /// service). Off: an admin key must not be a way into the service's own network (GuardedHttp).
    /// </summary>
    public bool AllowPrivate { get; set; }
}
