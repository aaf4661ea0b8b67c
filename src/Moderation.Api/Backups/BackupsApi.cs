using System.Security.Claims;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Storage;
using Moderation.Storage.Audit;
using Moderation.Storage.Backups;

namespace Moderation.Api.Backups;

/// <summary><c>POST /api/backups</c> (admin): a consistent online backup into <c>backups/</c> beside the database; 201 <c>{path, bytes}</c>.</summary>
public static class BackupsApi
{
    public const string PostgresBackups =
        "The store is PostgreSQL: back it up with the server's tools (pg_dump, or continuous archiving); see docs/SCALING.md. This endpoint copies the SQLite file only.";

    public static RouteGroupBuilder MapBackups(this RouteGroupBuilder api)
    {
        api.MapPost("/backups", Create).RequireAuthorization(Roles.AdminPolicy).WithTags("Backups").WithName("CreateBackup")
            .WithSummary("Take a consistent copy of the database while the service runs (201 {path, bytes})")
            .Produces<BackupCreated>(StatusCodes.Status201Created).ProducesProblem(409).ProducesProblem(500);
        return api;
    }

    static async Task<IResult> Create(Database db, ClaimsPrincipal user, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        // A PostgreSQL store is backed up by the server's own tools, which copy it consistently while it runs.
        if (db.IsPostgres) return Problems.Conflict(PostgresBackups);
        var now = time.GetUtcNow();
        var path = Path.Combine(Backup.Folder(db), Backup.FileName(now));
        // Two backups in the same millisecond: the second is told to try again rather than overwrite the first.
        if (File.Exists(path)) return Problems.Conflict($"a backup named '{Path.GetFileName(path)}' exists already; try again");
        long bytes;
        try { bytes = await Backup.WriteAsync(db, path, ct); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Not the caller's fault (a full disk, a folder the service may not write): 500 with what went wrong.
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Backup failed", detail: e.Message);
        }
        await db.InTransactionAsync(async (c, tx) =>
        {
            await AuditLog.WriteAsync(c, tx, now, Actor.Of(user), "backup_created", null, null, null, new { file = Path.GetFileName(path), bytes }, ct);
            return 0;
        }, ct);
        logs.CreateLogger("Moderation.Backups").LogInformation("Backup written: {File} ({Bytes} bytes)", Path.GetFileName(path), bytes);
        return TypedResults.Created((string?)null, new BackupCreated(path, bytes));
    }
}

/// <summary>POST /api/backups: where the copy was written and its size.</summary>
public sealed record BackupCreated(string Path, long Bytes);
