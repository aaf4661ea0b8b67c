using System.Security.Claims;
using Moderation.Api.Auth;
using Moderation.Api.Validation;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage.Articles;
using Moderation.Storage.Settings;
using Moderation.Worker;

namespace Moderation.Api.Settings;

public sealed record SettingsRequest(Dictionary<string, ReasonThreshold>? Reasons, List<string>? BannedTerms, List<string>? SuspectTerms, List<string>? AllowTerms,
    string? ProfanityMinSeverity = null);

/// <summary>
/// What GET and PUT /api/settings both answer: the settings in force at top level (the shape GET always had, and the
/// shape PUT takes), plus their <c>version</c>. <c>settings</c> repeats them for clients written against the old PUT
/// answer (<c>{version, settings}</c>); deprecated, to go in v2 (docs/INTEGRATING.md, "Settings").
/// </summary>
public sealed record SettingsView(long Version, Dictionary<string, ReasonThreshold> Reasons, IReadOnlyList<string> BannedTerms,
    IReadOnlyList<string> SuspectTerms, IReadOnlyList<string> AllowTerms, string ProfanityMinSeverity, ModerationSettings Settings)
{
    public static SettingsView From(long version, ModerationSettings s) =>
        new(version, s.Reasons, s.BannedTerms, s.SuspectTerms, s.AllowTerms, s.ProfanityMinSeverity, s);
}

public sealed record ArticleSettingsRequest(bool Premoderation, bool Closed, Dictionary<string, ReasonThreshold>? Reasons);

/// <summary>Settings an admin changes at run time: stored, audited, applied from the worker's next batch on.</summary>
public static class SettingsApi
{
    const int MaxTerms = 5000;

    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/").WithTags("Settings").RequireAuthorization(Roles.AdminPolicy);
        group.MapGet("/settings", Get).WithName("GetSettings").WithSummary("The settings in force and their version").Produces<SettingsView>();
        group.MapPut("/settings", Put).WithName("PutSettings").WithSummary("Replace thresholds and word lists; audited, effective without restart")
            .Produces<SettingsView>().ProducesValidationProblem();
        group.MapGet("/articles/{articleId}/settings", GetArticle).WithName("GetArticleSettings").WithSummary("An article's own settings")
            .Produces<ArticleSettings>().ProducesProblem(404);
        group.MapPut("/articles/{articleId}/settings", PutArticle).WithName("PutArticleSettings")
            .WithSummary("Pre-moderation, closed to comments, thresholds of its own")
            .Produces<ArticleSettings>().ProducesValidationProblem().ProducesProblem(404);
        return api;
    }

    static async Task<IResult> Get(SettingsProvider settings, CancellationToken ct)
    {
        var (version, current) = await settings.VersionedAsync(ct);
        return TypedResults.Ok(SettingsView.From(version, current));
    }

    static async Task<IResult> Put(SettingsRequest? body, ClaimsPrincipal user, SettingsProvider current, SettingsRepository settings, TimeProvider time, CancellationToken ct)
    {
        var check = new Check();
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        CheckReasons(check, body.Reasons);
        CheckTerms(check, "bannedTerms", body.BannedTerms);
        CheckTerms(check, "suspectTerms", body.SuspectTerms);
        CheckTerms(check, "allowTerms", body.AllowTerms);
        check.OneOf("profanityMinSeverity", body.ProfanityMinSeverity, ProfanitySeverities.All.ToHashSet(), required: false);
        if (check.Problem is { } problem) return problem;

        var before = await current.CurrentAsync(ct);
        var after = new ModerationSettings
        {
            Reasons = MergeReasons(before.Reasons, body.Reasons),
            BannedTerms = body.BannedTerms ?? before.BannedTerms.ToList(),
            SuspectTerms = body.SuspectTerms ?? before.SuspectTerms.ToList(),
            AllowTerms = body.AllowTerms ?? before.AllowTerms.ToList(),
            ProfanityMinSeverity = body.ProfanityMinSeverity ?? before.ProfanityMinSeverity,
        };
        var version = await settings.SaveAsync(after, before, user.Identity?.Name ?? "unknown", time.GetUtcNow(), ct);
        return TypedResults.Ok(SettingsView.From(version, after));
    }

    static async Task<IResult> GetArticle(string articleId, ArticleRepository articles, SettingsRepository settings, CancellationToken ct) =>
        Check.IsId(articleId) && await articles.GetAsync(articleId, ct) is not null
            ? TypedResults.Ok(await settings.GetArticleAsync(articleId, ct))
            : Problems.NotFound($"no article '{articleId}'");

    static async Task<IResult> PutArticle(string articleId, ArticleSettingsRequest? body, ClaimsPrincipal user, ArticleRepository articles,
        SettingsRepository settings, TimeProvider time, CancellationToken ct)
    {
        var check = new Check().Id("articleId", articleId);
        if (body is null) return check.Fail("body", "a JSON body is required").Problem!;
        CheckReasons(check, body.Reasons);
        if (check.Problem is { } problem) return problem;
        if (await articles.GetAsync(articleId, ct) is null) return Problems.NotFound($"no article '{articleId}'");
        var value = new ArticleSettings(body.Premoderation, body.Closed, body.Reasons);
        await settings.SaveArticleAsync(articleId, value, user.Identity?.Name ?? "unknown", time.GetUtcNow(), ct);
        return TypedResults.Ok(value);
    }

    static void CheckReasons(Check check, Dictionary<string, ReasonThreshold>? reasons)
    {
        foreach (var (code, t) in reasons ?? [])
        {
            if (!ReasonCodes.All.Contains(code)) check.Fail($"reasons.{code}", "is not a reason code");
            else if (t is null || t.FlagAt is < 0 or > 2 || t.HideAt is < 0 or > 2 || double.IsNaN(t.FlagAt) || double.IsNaN(t.HideAt))
                check.Fail($"reasons.{code}", "needs flagAt and hideAt between 0 and 2 (above 1 means never)");
        }
    }

    static void CheckTerms(Check check, string field, List<string>? terms)
    {
        if (terms is null) return;
        if (terms.Count > MaxTerms) check.Fail(field, $"may hold at most {MaxTerms} terms");
        for (var i = 0; i < terms.Count; i++) check.Text($"{field}[{i}]", terms[i], 100);
    }

    static Dictionary<string, ReasonThreshold> MergeReasons(Dictionary<string, ReasonThreshold> before, Dictionary<string, ReasonThreshold>? changes)
    {
        var merged = new Dictionary<string, ReasonThreshold>(before, StringComparer.OrdinalIgnoreCase);
        foreach (var (code, t) in changes ?? []) merged[code] = t;
        return merged;
    }
}
