using Dapper;

namespace Moderation.Storage.Backups;

/// <summary>
/// A consistent online copy of the SQLite database (docs/OPERATIONS.md, "Backups"). <c>VACUUM INTO</c> reads the
/// database inside one read transaction, so the copy is the database as of one moment: every write committed before
/// the backup started is in it, none half-written. In WAL mode it never blocks the writers (they go on appending to
/// the log) and needs no lock of its own; the copy is compact (no free pages) and a complete database by itself.
/// </summary>
public static class Backup
{
    /// <summary>Where <c>POST /api/backups</c> writes: a <c>backups</c> folder beside the database.</summary>
    public static string Folder(Database db) => Path.Combine(Path.GetDirectoryName(db.Path) ?? ".", "backups");

    /// <summary>A name that sorts by time, e.g. <c>moderation-20261203T223400123Z.db</c>.</summary>
    public static string FileName(DateTimeOffset now) =>
        $"moderation-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture)}.db";

    /// <summary>Writes the copy to <paramref name="target"/> (which must not exist), owner-only; returns its size in bytes.</summary>
    public static async Task<long> WriteAsync(Database db, string target, CancellationToken ct)
    {
        target = Path.GetFullPath(target);
        if (File.Exists(target)) throw new IOException($"'{target}' exists; a backup never overwrites a file");
        OwnerOnly.CreateFolder(Path.GetDirectoryName(target)!);
        try
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteAsync(new CommandDefinition("VACUUM INTO @target", new { target }, cancellationToken: ct));
        }
        catch
        {
            // A full disk or a cancelled request leaves no half-written file that could be mistaken for a backup.
            try { File.Delete(target); } catch (IOException) { }
            throw;
        }
        OwnerOnly.Restrict(target);
        return new FileInfo(target).Length;
    }
}
