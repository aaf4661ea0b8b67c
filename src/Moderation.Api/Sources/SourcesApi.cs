using Microsoft.Extensions.Options;
using Moderation.Api.Auth;
using Moderation.Storage;
using Moderation.Storage.Sources;
using Moderation.Worker.Connectors;

namespace Moderation.Api.Sources;

/// <summary>
/// A pull source as an admin sees it: its configuration (never the password) and where it stands.
/// <c>configured</c> is false for a source that was polled once but has since left the configuration.
/// </summary>
/// <remarks>
/// <c>authenticated</c> is true only once the site accepted the credentials (and not since refused them).
/// <c>commentsIngested</c> counts new comments, <c>commentsEdited</c> edits, <c>statusChanges</c> the site's own
/// moderation noticed, <c>writeBacks</c> statuses set on the site (<c>writeBacksPending</c> still on their way),
/// <c>skipped</c> comments passed over (<c>lastSkipReason</c>, <c>unreadablePosts</c> posts asked again on a backoff).
/// </remarks>
public sealed record SourceView(string Name, string Type, string Url, bool Configured, string? User, bool Authenticated, TimeSpan? PollInterval,
    string? IdPrefix, string? Cursor, long CommentsIngested, DateTimeOffset? LastPollAt, DateTimeOffset? LastSuccessAt, string? LastError,
    DateTimeOffset? LastErrorAt, DateTimeOffset? LastRescanAt, long CommentsEdited, long StatusChanges, bool WriteBack, string? RejectAs,
    long WriteBacks, long WriteBacksPending, string? LastWriteBackError, DateTimeOffset? LastWriteBackErrorAt, long Skipped, string? LastSkipReason,
    long UnreadablePosts);

public sealed record SourceList(IReadOnlyList<SourceView> Items);

public static class SourcesApi
{
    public static RouteGroupBuilder MapSources(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sources").WithTags("Sources").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/", List).WithName("ListSources").WithSummary("Configured pull sources with their cursor, last poll and last error").Produces<SourceList>();
        return group;
    }

    static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<SourceList>> List(IOptions<SourcesOptions> options, SourceRepository sources, WriteBackRepository writeBacks, CancellationToken ct)
    {
        var rows = (await sources.ListAsync(ct)).ToDictionary(r => r.Name);
        var pending = await writeBacks.PendingBySourceAsync(ct);
        var unreadable = await sources.UnreadablePostsBySourceAsync(ct);
        SourceView View(string name, SourceOptions? s, SourceRow? r) => new(
            name, s?.Type ?? r!.Type, s?.Url ?? r!.Url, s is not null, s?.User, s is { HasCredentials: true } && Accepted(r), s?.PollInterval, s?.IdPrefix,
            r?.Cursor, r?.CommentsIngested ?? 0, Time(r?.LastPollAt), Time(r?.LastSuccessAt), r?.LastError, Time(r?.LastErrorAt), Time(r?.LastRescanAt),
            r?.CommentsEdited ?? 0, r?.StatusChanges ?? 0, s?.WritesBack ?? false, s?.WritesBack == true ? s.RejectAs : null,
            r?.WriteBacks ?? 0, pending.GetValueOrDefault(name), r?.LastWriteBackError, Time(r?.LastWriteBackErrorAt), r?.Skipped ?? 0, r?.LastSkipReason,
            unreadable.GetValueOrDefault(name));
        var items = options.Value.Sources.Select(s => View(s.Key, s, rows.GetValueOrDefault(s.Key))).ToList();
        var configured = items.Select(i => i.Name).ToHashSet();
        items.AddRange(rows.Values.Where(r => !configured.Contains(r.Name)).Select(r => View(r.Name, null, r)));
        return TypedResults.Ok(new SourceList(items));
    }

    /// <summary>The site accepted the credentials at some point and has not refused them since.</summary>
    static bool Accepted(SourceRow? r) =>
        r?.AuthenticatedAt is { } ok && (r.AuthRefusedAt is not { } refused || Database.ParseTime(ok) > Database.ParseTime(refused));

    static DateTimeOffset? Time(string? s) => Database.ParseTimeOrNull(s);
}
