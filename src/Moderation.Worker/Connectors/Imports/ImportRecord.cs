namespace Moderation.Worker.Connectors.Imports;

/// <summary>One thing read from an import file: an article, a comment, or why the line at <see cref="Line"/> was not usable.</summary>
public sealed record ImportRecord(long Line, ArticleIn? Article = null, CommentIn? Comment = null, string? Error = null);

public sealed record ImportError(long Line, string Message);

/// <summary>What an import did. Importing the same file again reports everything as unchanged.</summary>
public sealed class ImportReport
{
    public const int MaxErrorsListed = 50;

    public int ArticlesCreated { get; set; }
    public int ArticlesUpdated { get; set; }
    public int ArticlesUnchanged { get; set; }
    public int CommentsCreated { get; set; }
    public int CommentsEdited { get; set; }
    public int CommentsUnchanged { get; set; }
    public int Errors { get; set; }

    /// <summary>False when the file could not be read to its end (broken XML); what came before was imported.</summary>
    public bool Completed { get; set; } = true;

    /// <summary>The first <see cref="MaxErrorsListed"/> errors, with the line they are on.</summary>
    public List<ImportError> FirstErrors { get; } = [];

    public void Fail(long line, string message)
    {
        Errors++;
        if (FirstErrors.Count < MaxErrorsListed) FirstErrors.Add(new ImportError(line, message));
    }

    public override string ToString() =>
        $"articles: {ArticlesCreated} created, {ArticlesUpdated} updated, {ArticlesUnchanged} unchanged; " +
        $"comments: {CommentsCreated} created, {CommentsEdited} edited, {CommentsUnchanged} unchanged; {Errors} error(s)" +
        (Completed ? "" : "; stopped before the end of the file");
}
