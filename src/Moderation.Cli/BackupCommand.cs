using Moderation.Storage;
using Moderation.Storage.Backups;

namespace Moderation.Cli;

/// <summary>
/// <c>backup FILE [--database PATH]</c>: a consistent copy of the service's SQLite database, taken while the service
/// runs (<see cref="Backup"/>). The same copy as <c>POST /api/backups</c>, to a file of the operator's choosing.
/// </summary>
public static class BackupCommand
{
    const string Usage = """
        usage: backup FILE [--database PATH]
          FILE        where to write the copy; must not exist
          --database  the SQLite file (default: data/moderation.db, as Moderation:Database)
        """;

    public static int Run(string[] args) => RunAsync(args, Console.Out, Console.Error, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        string? file = null, database = "data/moderation.db";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--database" && i + 1 < args.Length) database = args[++i];
            else if (file is null && !args[i].StartsWith("--", StringComparison.Ordinal)) file = args[i];
            else { errors.WriteLine(Usage); return 2; }
        }
        if (file is null) { errors.WriteLine(Usage); return 2; }
        if (!File.Exists(database)) { errors.WriteLine($"No database at '{Path.GetFullPath(database)}'. Give its path with --database."); return 1; }
        try
        {
            await using var db = new Database(database);
            var bytes = await Backup.WriteAsync(db, file, ct);
            output.WriteLine($"{Path.GetFullPath(file)}\t{bytes} bytes");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            errors.WriteLine($"Backup failed: {e.Message}");
            return 1;
        }
    }
}
