namespace Moderation.Api.Hosting;

/// <summary>Bound from <c>Moderation</c>. Keys are fixed by the design; defaults live here.</summary>
public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    /// <summary>The SQLite file; relative paths are taken from the working directory.</summary>
    public string Database { get; set; } = "data/moderation.db";

    public LimitOptions Limits { get; set; } = new();

    public QueueOptions Queue { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();
}

/// <summary>Bound from <c>Moderation:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>
    /// <c>sqlite</c> (default: the file at <c>Moderation:Database</c>) or <c>postgres</c> (the server at
    /// <c>ConnectionStrings:Moderation</c>; docs/SCALING.md).
    /// </summary>
    public string Provider { get; set; } = "sqlite";

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public bool IsKnownProvider => IsPostgres || string.Equals(Provider, "sqlite", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>Full</c> (default): every acknowledged write survives a power cut. <c>Normal</c>: faster commits, but a power
    /// cut or kernel crash may lose the last ones (docs/RELIABILITY.md, docs/PERFORMANCE.md "Durability").
    /// </summary>
    public Moderation.Storage.SynchronousMode Synchronous { get; set; } = Moderation.Storage.SynchronousMode.Full;
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
