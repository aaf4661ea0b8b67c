using Moderation.Api.Auth;
using Moderation.Storage;

namespace Moderation.Api.Hosting;

/// <summary>
/// What must hold before the service takes traffic: the database opens and migrates, and the
/// admin key exists. A bad path fails here with a message that names it, not later mid-request.
/// Failures are <see cref="StartupException"/>: Program prints the message and exits with code 1.
/// </summary>
public static class StartupChecks
{
    public static async Task RunAsync(IServiceProvider services)
    {
        try
        {
            await StorageStartup.MigrateAsync(services);
        }
        catch (StorageUnavailableException e)
        {
            throw new StartupException(e.Message, e);
        }
        var db = services.GetRequiredService<Database>();
        WarnIfReplicasWouldDisagree(services, db);
        try
        {
            services.GetRequiredService<Network.NetworkOptions>();
        }
        catch (FormatException e)
        {
            throw new StartupException($"{e.Message}. List the reverse proxies whose X-Forwarded-For is trusted as addresses or CIDR ranges.", e);
        }
        try
        {
            services.GetRequiredService<AdminKeyProvider>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var keyFile = Path.Combine(Path.GetDirectoryName(db.Path) ?? ".", "admin.key");
            throw new StartupException(
                $"Cannot read or create the bootstrap admin key file '{keyFile}' ({e.Message}). Make it readable, or set Moderation:Auth:AdminKey.", e);
        }
        try
        {
            Moderation.Worker.Scoring.ScoringServices.LoadScorer(services);
        }
        catch (Moderation.Worker.Scoring.ScorerUnavailableException e)
        {
            throw new StartupException(e.Message, e);
        }
    }

    /// <summary>
    /// On PostgreSQL the service may run as several replicas, each with its own data folder: a bootstrap admin key or
    /// pseudonym key generated into that folder then differs per replica (one anonymous reader reporting through two
    /// replicas would count twice). Not an error (one process on PostgreSQL is fine), but said at every start.
    /// </summary>
    static void WarnIfReplicasWouldDisagree(IServiceProvider services, Database db)
    {
        if (!db.IsPostgres) return;
        var config = services.GetRequiredService<IConfiguration>();
        var missing = new[] { "Moderation:Auth:AdminKey", "Moderation:Pseudonyms:Secret" }.Where(k => string.IsNullOrEmpty(config[k])).ToList();
        if (missing.Count == 0) return;
        services.GetRequiredService<ILoggerFactory>().CreateLogger("Moderation.Startup").LogWarning(
            "The store is PostgreSQL but {Missing} is not set: this process keeps its own in {Folder}. Give every replica the same value (docs/SCALING.md).",
            string.Join(" and ", missing), Path.GetDirectoryName(db.Path));
    }
}

/// <summary>The service cannot start as configured; the message says what to fix (and names the path).</summary>
public sealed class StartupException : Exception
{
    public StartupException(string message) : base(message) { }

    public StartupException(string message, Exception inner) : base(message, inner) { }
}
