namespace Moderation.Api.Hosting;

/// <summary>Bound from <c>Moderation</c>. Keys are fixed by the design; defaults live here. The database keys are
/// <see cref="Moderation.Storage.StorageOptions"/>'s.</summary>
public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    public LimitOptions Limits { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();
}

public sealed class QueueOptions
{
    /// <summary>How long a moderator may undo their own decision (the console's "u").</summary>
    public TimeSpan UndoWindow { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class LimitOptions
{
    /// <summary>Longest comment text accepted; longer gets 413.</summary>
    public int MaxCommentChars { get; set; } = 20_000;

    public int MaxArticleChars { get; set; } = 200_000;

    /// <summary>Largest request body; larger gets 413 before it is read.</summary>
    public long MaxBodyBytes { get; set; } = 1_048_576;

    /// <summary>Most comments in one /api/score call.</summary>
    public int MaxScoreComments { get; set; } = 100;
}

/// <summary>Bound from <c>Moderation:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Moderation:Auth";

    /// <summary>The bootstrap admin key; generated into a file beside the database when not set.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Requests with a wrong key one client address may send per minute; past that they get 429 (valid keys still work).</summary>
    public int FailedAttemptsPerMinute { get; set; } = 20;
}
