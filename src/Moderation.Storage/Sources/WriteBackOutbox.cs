using System.Data;
using Dapper;
using Moderation.Core.Policy;

namespace Moderation.Storage.Sources;

/// <summary>
/// Writes the write-back outbox inside the caller's transaction: a status change of a comment that came from a
/// source is written back to that site exactly when the change was committed. Only changes into or out of a status
/// the service writes (<see cref="SiteModeration.MayWrite"/>), or of a comment the service wrote to before, make a row;
/// comments that did not come from a source make none.
/// </summary>
public static class WriteBackOutbox
{
    const string EnqueueSql = """
        INSERT INTO source_writebacks (comment_id, status, created_at, next_attempt_at)
        SELECT comment_id, @after, @at, @at FROM source_comments WHERE comment_id = @commentId AND (@mayWrite OR written_status IS NOT NULL)
        """;

    public static Task EnqueueAsync(IDbConnection c, IDbTransaction tx, string commentId, string? before, string after, DateTimeOffset now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(EnqueueSql,
            new { commentId, after, at = Database.Time(now), mayWrite = SiteModeration.MayWrite(before, after) }, tx, cancellationToken: ct));

    /// <summary>Of the list <c>@ids</c>, the comments that came from a source (one statement for a worker batch).</summary>
    internal static string FromSourcesSql(IDbConnection c) => $"SELECT comment_id FROM source_comments WHERE {c.In("comment_id", "@ids")}";
}
