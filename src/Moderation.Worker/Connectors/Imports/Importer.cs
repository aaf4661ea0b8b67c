using System.Xml;
using Moderation.Storage.Articles;

namespace Moderation.Worker.Connectors.Imports;

public enum ImportFormat { Ndjson, Wxr }

/// <summary>
/// Streams a file into the service record by record, through the same ingest as the HTTP endpoint: nothing
/// holds more than one record, so a file of a million comments takes no more memory than one of ten, and
/// importing the same file twice adds nothing the second time.
/// </summary>
public sealed class Importer(IngestService ingest)
{
    public static bool TryParseFormat(string? name, out ImportFormat format) =>
        Enum.TryParse(name, ignoreCase: true, out format) && Enum.IsDefined(format);

    public Task<ImportReport> ImportAsync(Stream file, ImportFormat format, string idPrefix, CancellationToken ct) =>
        RunAsync(format == ImportFormat.Wxr ? WxrReader.ReadAsync(file, idPrefix, ct) : NdjsonReader.ReadAsync(file, idPrefix, ct), ct);

    public async Task<ImportReport> RunAsync(IAsyncEnumerable<ImportRecord> records, CancellationToken ct)
    {
        var report = new ImportReport();
        try
        {
            await foreach (var record in records.WithCancellation(ct))
            {
                if (record.Error is { } error) report.Fail(record.Line, error);
                else if (record.Article is { } article) await ArticleAsync(article, record.Line, report, ct);
                else if (record.Comment is { } comment) await CommentAsync(comment, record.Line, report, ct);
            }
        }
        catch (XmlException e)
        {
            report.Fail(e.LineNumber, "the file is not well-formed XML: " + e.Message);
            report.Completed = false;
        }
        return report;
    }

    async Task ArticleAsync(ArticleIn article, long line, ImportReport report, CancellationToken ct)
    {
        if (ingest.Problem(article) is { } problem) { report.Fail(line, problem); return; }
        switch (await ingest.ArticleAsync(article, ct))
        {
            case UpsertOutcome.Created: report.ArticlesCreated++; break;
            case UpsertOutcome.Updated: report.ArticlesUpdated++; break;
            default: report.ArticlesUnchanged++; break;
        }
    }

    async Task CommentAsync(CommentIn comment, long line, ImportReport report, CancellationToken ct)
    {
        if (ingest.Problem(comment) is { } problem) { report.Fail(line, problem); return; }
        var result = await ingest.CommentAsync(comment, ct);
        switch (result.Outcome)
        {
            case CommentOutcome.Created: report.CommentsCreated++; break;
            case CommentOutcome.Edited: report.CommentsEdited++; break;
            case CommentOutcome.Unchanged: report.CommentsUnchanged++; break;
            case CommentOutcome.UnknownArticle: report.Fail(line, $"comment '{comment.CommentId}': no article '{comment.ArticleId}' (put its article first)"); break;
            case CommentOutcome.OtherArticle: report.Fail(line, $"comment '{comment.CommentId}' already belongs to another article"); break;
        }
    }
}
