using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Moderation.Storage;

/// <summary>What every process that uses the database does first (the API, the worker-only process): open it and migrate.</summary>
public static class StorageStartup
{
    /// <summary>
    /// Builds the database from configuration and applies the migrations. Whatever keeps that from working (an unknown
    /// provider, a missing or malformed connection string, a server that is down or refuses the login, a file that cannot
    /// be written, a schema newer than this build) fails with one line that says what to fix.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        Database db;
        try
        {
            db = services.GetRequiredService<Database>();
        }
        catch (OptionsValidationException e)
        {
            throw new StorageUnavailableException(string.Join(" ", e.Failures), e);
        }
        catch (ArgumentException e)
        {
            // Npgsql refuses a malformed connection string when the data source is built.
            throw new StorageUnavailableException($"ConnectionStrings:Moderation is not a valid PostgreSQL connection string ({e.Message}).", e);
        }
        try
        {
            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        }
        catch (SchemaTooNewException e)
        {
            throw new StorageUnavailableException(e.Message, e);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new StorageUnavailableException($"The {db.Display} refused the login ({e.MessageText}). Check the user and password in ConnectionStrings:Moderation.", e);
        }
        catch (NpgsqlException e)
        {
            var why = e is PostgresException pg ? pg.MessageText : e.InnerException?.Message ?? e.Message;
            throw new StorageUnavailableException($"Cannot open the {db.Display} ({why}). Check ConnectionStrings:Moderation and that the server is running.", e);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException(
                $"Cannot open or create the database at '{db.Path}' ({e.Message}). Set Moderation:Database to a writable file path.", e);
        }
    }
}

/// <summary>The database cannot be used as configured; the message says what to fix.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
