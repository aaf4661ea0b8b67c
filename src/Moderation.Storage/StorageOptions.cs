namespace Moderation.Storage;

/// <summary>
/// Bound from <c>Moderation:Storage</c>, plus the database file from <c>Moderation:Database</c> (a key older than this
/// class, kept as it is). Every host builds its <see cref="Storage.Database"/> through <see cref="CreateDatabase"/>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Moderation:Storage";

    public const string DatabaseKey = "Moderation:Database";

    /// <summary>The SQLite file (<c>Moderation:Database</c>); relative paths are taken from the working directory.</summary>
    public string DatabasePath { get; set; } = "data/moderation.db";

    /// <summary>
    /// <c>Full</c> (default): every acknowledged write survives a power cut. <c>Normal</c>: faster commits, but a power
    /// cut or kernel crash may lose the last ones (docs/RELIABILITY.md, docs/PERFORMANCE.md "Durability").
    /// </summary>
    public SynchronousMode Synchronous { get; set; } = SynchronousMode.Full;

    /// <summary>
    /// <c>sqlite</c> (default: the file at <c>Moderation:Database</c>) or <c>postgres</c> (the server at
    /// <c>ConnectionStrings:Moderation</c>; docs/SCALING.md). On PostgreSQL, <c>Moderation:Database</c>'s folder still
    /// holds the files kept beside the database (the bootstrap admin key, the pseudonym key).
    /// </summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary><c>ConnectionStrings:Moderation</c>: the PostgreSQL server, database and login.</summary>
    public string? ConnectionString { get; set; }

    public const string ConnectionStringName = "Moderation";

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    public bool IsKnownProvider => IsPostgres || string.Equals(Provider, "sqlite", StringComparison.OrdinalIgnoreCase);

    /// <summary>The one place a host's database is made from configuration.</summary>
    public Database CreateDatabase() => IsPostgres
        ? Database.ForPostgres(ConnectionString!, DatabasePath)
        : new(DatabasePath, BackgroundCheckpoints.Default, Synchronous);
}
