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
        Database db;
        try
        {
            db = services.GetRequiredService<Database>();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            throw new StartupException(string.Join(" ", e.Failures), e);
        }
        catch (ArgumentException e)
        {
            // Npgsql refuses a malformed connection string when the data source is built.
            throw new StartupException($"ConnectionStrings:Moderation is not a valid PostgreSQL connection string ({e.Message}).", e);
        }
        try
        {
            await services.GetRequiredService<Migrator>().MigrateAsync();
        }
        catch (SchemaTooNewException e)
        {
            throw new StartupException(e.Message, e);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.InvalidPassword or Npgsql.PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new StartupException($"The {db.Display} refused the login ({e.MessageText}). Check the user and password in ConnectionStrings:Moderation.", e);
        }
        catch (Npgsql.NpgsqlException e)
        {
            var why = e is Npgsql.PostgresException pg ? pg.MessageText : e.InnerException?.Message ?? e.Message;
            throw new StartupException($"Cannot open the {db.Display} ({why}). Check ConnectionStrings:Moderation and that the server is running.", e);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"Cannot open or create the database at '{db.Path}' ({e.Message}). Set Moderation:Database to a writable file path.", e);
        }
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
            // Load the lexicon and the models now: a missing or corrupt model stops the start, with its name.
            services.GetRequiredService<Moderation.Core.Scoring.ICommentScorer>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new StartupException($"Cannot load the scoring models: {e.Message}", e);
        }
    }
}

/// <summary>The service cannot start as configured; the message says what to fix (and names the path).</summary>
public sealed class StartupException : Exception
{
    public StartupException(string message) : base(message) { }

    public StartupException(string message, Exception inner) : base(message, inner) { }
}
