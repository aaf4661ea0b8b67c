using Moderation.Api.Auth;
using Moderation.Storage;

namespace Moderation.Api.Hosting;

/// <summary>
/// What must hold before the service takes traffic: the database opens and migrates, and the
/// admin key exists. A bad path fails here with a message that names it, not later mid-request.
/// </summary>
public static class StartupChecks
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<Database>();
        try
        {
            await services.GetRequiredService<Migrator>().MigrateAsync();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Cannot open or create the database at '{db.Path}' ({e.Message}). Set Moderation:Database to a writable file path.", e);
        }
        services.GetRequiredService<AdminKeyProvider>();
        try
        {
            // Load the lexicon and the models now: a missing or corrupt model stops the start, with its name.
            services.GetRequiredService<Moderation.Core.Scoring.ICommentScorer>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new InvalidOperationException($"Cannot load the scoring models: {e.Message}", e);
        }
    }
}
