namespace Moderation.Core.Policy;

/// <summary>
/// What an admin tunes at run time: thresholds per reason, banned terms (hide and queue),
/// suspect terms (flag only) and allow-list additions (never profanity). Stored in the database.
/// </summary>
public sealed record ModerationSettings
{
    public Dictionary<string, ReasonThreshold> Reasons { get; init; } = PolicyOptions.DefaultThresholds();
    public IReadOnlyList<string> BannedTerms { get; init; } = [];
    public IReadOnlyList<string> SuspectTerms { get; init; } = [];
    public IReadOnlyList<string> AllowTerms { get; init; } = [];
    /// <summary>See <see cref="PolicyOptions.ProfanityMinSeverity"/>.</summary>
    public string ProfanityMinSeverity { get; init; } = ProfanitySeverities.Mild;

    public PolicyOptions ToPolicy(IReadOnlyDictionary<string, ReasonThreshold>? articleOverrides = null)
    {
        var reasons = new Dictionary<string, ReasonThreshold>(Reasons, StringComparer.OrdinalIgnoreCase);
        foreach (var (code, t) in articleOverrides ?? new Dictionary<string, ReasonThreshold>()) reasons[code] = t;
        return new PolicyOptions { Reasons = reasons, ProfanityMinSeverity = ProfanityMinSeverity };
    }
}

/// <summary>Per-article choices: hold every comment for approval, refuse new comments, or thresholds of its own.</summary>
public sealed record ArticleSettings(bool Premoderation, bool Closed, IReadOnlyDictionary<string, ReasonThreshold>? Reasons)
{
    public static readonly ArticleSettings Default = new(false, false, null);
}
