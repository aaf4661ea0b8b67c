using Dapper;

namespace Moderation.Storage;

/// <summary>Applies the numbered SQL files in Migrations/ that the database has not seen yet, each in its own transaction.</summary>
public sealed class Migrator(Database db)
{
    const string Prefix = "Moderation.Storage.Migrations.";

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        // Readers' words, names and report history: a new folder and file are the service user's alone (0700 / 0600).
        // SQLite gives the -wal and -shm files the database file's mode. Existing files keep the mode the operator gave them.
        var directory = System.IO.Path.GetDirectoryName(db.Path);
        if (!string.IsNullOrEmpty(directory)) OwnerOnly.CreateFolder(directory);
        if (!File.Exists(db.Path))
        {
            var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) file.UnixCreateMode = OwnerOnly.File;
            try { new FileStream(db.Path, file).Dispose(); }   // an empty file is a new database to SQLite
            catch (IOException) when (File.Exists(db.Path)) { }   // another process made it first
        }

        await using (var connection = await db.OpenAsync(ct))
        {
            // WAL is a property of the file: set once, kept by every later connection.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken: ct));
        }

        var assembly = typeof(Migrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var name in scripts)
        {
            var version = name[Prefix.Length..^4];
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var sql = await reader.ReadToEndAsync(ct);
            await db.InTransactionAsync(async (c, tx) =>
            {
                var seen = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM schema_migrations WHERE version = @version", new { version }, tx, cancellationToken: ct));
                if (seen > 0) return 0;
                await c.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
                return await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                    new { version, at = Database.Time(DateTimeOffset.UtcNow) }, tx, cancellationToken: ct));
            }, ct);
        }
    }
}
