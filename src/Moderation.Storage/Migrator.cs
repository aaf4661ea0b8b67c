using Dapper;

namespace Moderation.Storage;

/// <summary>
/// Applies the numbered SQL files that the database has not seen yet, each in its own transaction: Migrations/ on
/// SQLite, Migrations/Postgres/ (the same names, the same schema in PostgreSQL's dialect) on PostgreSQL. A database
/// that has a version this build does not know was migrated by a newer build: the start stops with
/// <see cref="SchemaTooNewException"/> instead of running old code on a newer schema.
/// </summary>
public sealed class Migrator(Database db)
{
    const string SqlitePrefix = "Moderation.Storage.Migrations.";
    const string PostgresPrefix = "Moderation.Storage.Migrations.Postgres.";

    /// <summary>Held while one process migrates a PostgreSQL database, so replicas starting together take turns.</summary>
    const long PostgresMigrationLock = 0x6d6f646572617465;   // "moderate"

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        // Readers' words, names and report history: a new folder and file are the service user's alone (0700 / 0600).
        // SQLite gives the -wal and -shm files the database file's mode. Existing files keep the mode the operator gave them.
        // On PostgreSQL the folder still holds the key files (Database.ForPostgres).
        var directory = System.IO.Path.GetDirectoryName(db.Path);
        if (!string.IsNullOrEmpty(directory)) OwnerOnly.CreateFolder(directory);
        if (db.IsPostgres)
        {
            await using var holder = await db.OpenSessionAsync(ct);
            await holder.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = PostgresMigrationLock }, cancellationToken: ct));
            try
            {
                await holder.ExecuteAsync(new CommandDefinition(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken: ct));
                await ApplyAsync(PostgresPrefix, ct);
            }
            finally
            {
                await holder.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = PostgresMigrationLock }, cancellationToken: CancellationToken.None));
            }
            return;
        }

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

        await ApplyAsync(SqlitePrefix, ct);
    }

    async Task ApplyAsync(string prefix, CancellationToken ct)
    {
        var assembly = typeof(Migrator).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)
                && !n[prefix.Length..^4].Contains('.'))   // Migrations/Postgres/ files are not SQLite's
            .Order(StringComparer.Ordinal)
            .ToList();
        var known = scripts.Select(n => n[prefix.Length..^4]).ToHashSet(StringComparer.Ordinal);
        await using (var c = await db.OpenAsync(ct))
        {
            var applied = await c.QueryAsync<string>(new CommandDefinition("SELECT version FROM schema_migrations", cancellationToken: ct));
            var unknown = applied.Where(v => !known.Contains(v)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0) throw new SchemaTooNewException(db.Display, unknown, known.Max(StringComparer.Ordinal) ?? "none");
        }
        foreach (var name in scripts)
        {
            var version = name[prefix.Length..^4];
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

/// <summary>The database was migrated by a newer build of the service: this one must not run on it.</summary>
public sealed class SchemaTooNewException(string where, IReadOnlyList<string> unknown, string newest)
    : Exception($"The {where} has schema version {unknown[^1]}, newer than this build knows (its newest is {newest}): run the newer build, or restore a backup taken before the upgrade.");
