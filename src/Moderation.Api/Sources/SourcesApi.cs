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
public sealed record SourceView(string Name, string Type, string Url, bool Configured, string? User, bool Authenticated, TimeSpan? PollInterval,
    string? IdPrefix, string? Cursor, long CommentsIngested, DateTimeOffset? LastPollAt, DateTimeOffset? LastSuccessAt, string? LastError,
    DateTimeOffset? LastErrorAt, DateTimeOffset? LastRescanAt);

public sealed record SourceList(IReadOnlyList<SourceView> Items);

public static class SourcesApi
{
    public static RouteGroupBuilder MapSources(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/sources").WithTags("Sources").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/", List).WithName("ListSources").WithSummary("Configured pull sources with their cursor, last poll and last error").Produces<SourceList>();
        return group;
    }

    static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<SourceList>> List(IOptions<SourcesOptions> options, StorageServices storage, CancellationToken ct)
    {
        var rows = (await storage.Sources.ListAsync(ct)).ToDictionary(r => r.Name);
        var items = options.Value.Sources.Select(s => View(s.Key, s, rows.GetValueOrDefault(s.Key))).ToList();
        var configured = items.Select(i => i.Name).ToHashSet();
        items.AddRange(rows.Values.Where(r => !configured.Contains(r.Name)).Select(r => View(r.Name, null, r)));
        return TypedResults.Ok(new SourceList(items));
    }

    static SourceView View(string name, SourceOptions? s, SourceRow? r) => new(
        name, s?.Type ?? r!.Type, s?.Url ?? r!.Url, s is not null, s?.User, s?.HasCredentials ?? false, s?.PollInterval, s?.IdPrefix,
        r?.Cursor, r?.CommentsIngested ?? 0, Time(r?.LastPollAt), Time(r?.LastSuccessAt), r?.LastError, Time(r?.LastErrorAt), Time(r?.LastRescanAt));

    static DateTimeOffset? Time(string? s) => Database.ParseTimeOrNull(s);
}
