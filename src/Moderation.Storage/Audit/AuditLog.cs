using System.Data;
using System.Text.Json;
using Dapper;

namespace Moderation.Storage.Audit;

public sealed record AuditEntry
{
    public long Id { get; init; }
    public string At { get; init; } = "";
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string? CommentId { get; init; }
    public string? StatusBefore { get; init; }
    public string? StatusAfter { get; init; }
    public string? Detail { get; init; }
}

/// <summary>The audit table: every status change and decision, written in the same transaction as the change itself.</summary>
public sealed class AuditLog(Database db)
{
    const string InsertSql = """
        INSERT INTO audit (at, actor, action, comment_id, status_before, status_after, detail)
        VALUES (@at, @actor, @action, @commentId, @before, @after, @detail)
        """;

    public static Task WriteAsync(IDbConnection c, IDbTransaction tx, DateTimeOffset at, string actor, string action,
        string? commentId, string? before, string? after, object? detail, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(InsertSql,
            new { at = Database.Time(at), actor, action, commentId, before, after, detail = Detail(detail) }, tx, cancellationToken: ct));

    /// <summary>The insert of <see cref="WriteAsync"/>, prepared once for a batch that writes many entries.</summary>
    internal static PreparedCommand Prepare(WriteBuffer buffer) =>
        new(buffer, InsertSql, "@at", "@actor", "@action", "@commentId", "@before", "@after", "@detail");

    internal static void Write(PreparedCommand insert, DateTimeOffset at, string actor, string action,
        string? commentId, string? before, string? after, object? detail) =>
        insert.Write(Database.Time(at), actor, action, commentId, before, after, Detail(detail));

    static string? Detail(object? detail) => detail is null ? null : JsonSerializer.Serialize(detail, Json.Options);

    const string Columns = "id, at, actor, action, comment_id AS CommentId, status_before AS StatusBefore, status_after AS StatusAfter, detail";

    public async Task<IReadOnlyList<AuditEntry>> ForCommentAsync(string commentId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<AuditEntry>(new CommandDefinition(
            $"SELECT {Columns} FROM audit WHERE comment_id = @commentId ORDER BY id", new { commentId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Newest first, keyset-paged by id.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeId, string? actor, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<AuditEntry>(new CommandDefinition($"""
            SELECT {Columns} FROM audit
            WHERE (@beforeId IS NULL OR id < @beforeId) AND (@actor IS NULL OR actor = @actor)
            ORDER BY id DESC LIMIT @limit
            """, new { limit, beforeId, actor }, cancellationToken: ct))).AsList();
    }
}
