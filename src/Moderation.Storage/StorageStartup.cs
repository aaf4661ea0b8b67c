using Microsoft.Extensions.DependencyInjection;

namespace Moderation.Storage;

/// <summary>What every process that uses the database does first (the API, the worker-only process): open it and migrate.</summary>
public static class StorageStartup
{
    /// <summary>Applies the migrations; a database that cannot be opened fails with one line that names it.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<Database>();
        try
        {
            await services.GetRequiredService<Migrator>().MigrateAsync(ct);
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
