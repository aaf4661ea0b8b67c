using Microsoft.Extensions.Options;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Worker;
using Moderation.Worker.Connectors;
using Moderation.Worker.Connectors.Imports;

namespace Moderation.Cli;

/// <summary>
/// <c>import FILE [--format ndjson|wxr] [--database PATH] [--id-prefix PREFIX]</c>: backfills comments (and their
/// articles) from a file into the service's SQLite database, streaming, through the same ingest as the HTTP API.
/// A running service picks the comments up on its next poll of the inbox.
/// </summary>
public static class ImportCommands
{
    const string Usage = """
        usage: import FILE [--format ndjson|wxr] [--database PATH] [--id-prefix PREFIX]
          FILE          an NDJSON file of our ingest shape, or a WordPress export (WXR); '-' reads standard input
          --format      ndjson or wxr; by default from the file's extension (.xml and .wxr are WXR)
          --database    the SQLite file (default: data/moderation.db, as Moderation:Database)
          --id-prefix   put before every id, as a WordPress source's IdPrefix does (default: none)
        """;

    /// <summary>
    /// The scorer whose article terms (for the collection's document frequencies) the import stores. Terms do not
    /// need the embedding model, so the lexical scorer is enough and loads fast.
    /// </summary>
    public static Func<ICommentScorer> Scorer { get; set; } =
        () => new CommentScorer(Core.Profanity.ProfanityScorer.CreateDefault(), Core.Relevance.RelevanceScorer.CreateDefault(null), null);

    public static int Import(string[] args) => ImportAsync(args, Console.Out, Console.Error, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> ImportAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        string? file = null, format = null, database = "data/moderation.db", prefix = "";
        for (var i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--format": format = Value(); break;
                case "--database": database = Value(); break;
                case "--id-prefix": prefix = Value(); break;
                case "-h" or "--help": output.WriteLine(Usage); return 0;
                default:
                    if (file is null && (args[i] == "-" || !args[i].StartsWith("--", StringComparison.Ordinal))) file = args[i];
                    else { errors.WriteLine($"unknown argument '{args[i]}'\n{Usage}"); return 2; }
                    break;
            }
        }
        format ??= file is not null && (file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".wxr", StringComparison.OrdinalIgnoreCase)) ? "wxr" : "ndjson";
        if (file is null || database is null || prefix is null || !Importer.TryParseFormat(format, out var parsed))
        {
            errors.WriteLine(Usage);
            return 2;
        }
        if (file != "-" && !File.Exists(file))
        {
            errors.WriteLine($"no file '{file}'");
            return 2;
        }

        var storage = new StorageServices(new Database(database));
        await new Migrator(storage.Database).MigrateAsync(ct);
        var ingest = new IngestService(storage.Articles, storage.Comments, Scorer(), new WorkSignal(), TimeProvider.System, new FixedOptions<IngestOptions>(new IngestOptions()));
        await using var stream = file == "-" ? Console.OpenStandardInput() : new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var report = await new Importer(ingest).ImportAsync(stream, parsed, prefix, ct);
        output.WriteLine(report.ToString());
        foreach (var e in report.FirstErrors) errors.WriteLine($"line {e.Line}: {e.Message}");
        if (report.Errors > report.FirstErrors.Count) errors.WriteLine($"… and {report.Errors - report.FirstErrors.Count} more");
        return report.Completed && report.Errors == 0 ? 0 : 1;
    }

    sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
