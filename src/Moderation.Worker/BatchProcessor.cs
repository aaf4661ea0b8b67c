using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderation.Core.Policy;
using Moderation.Core.Scoring;
using Moderation.Storage;
using Moderation.Storage.Articles;
using Moderation.Storage.Inbox;

namespace Moderation.Worker;

/// <summary>
/// One batch: claim received comments, score each against its article (building the article's
/// profile once per version), then write scores, statuses and queue entries in one transaction.
/// A comment whose scoring throws is recorded as a failed attempt; the rest of the batch goes on.
/// </summary>
public sealed class BatchProcessor(
    StorageServices storage,
    ICommentScorer scorer,
    SettingsProvider settingsProvider,
    IOptionsMonitor<ReportOptions> reports,
    IOptionsMonitor<WorkerOptions> options,
    TimeProvider time,
    ILogger<BatchProcessor> log)
{
    readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public string Owner => owner;

    /// <summary>Returns how many comments were claimed (0 = nothing to do).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var swT = System.Diagnostics.Stopwatch.StartNew();
        var claimed = await storage.Inbox.ClaimAsync(owner, o.BatchSize, o.Lease, time.GetUtcNow(), ct);
        if (claimed.Count == 0) return 0;
        var tClaim = swT.Elapsed.TotalMilliseconds;

        var settings = await settingsProvider.CurrentAsync(ct);
        var articles = new Dictionary<string, (ArticleToScore Article, ArticleSettings Settings)?>();
        var toScore = new List<(ClaimedComment Comment, ArticleSettings Settings)>(claimed.Count);
        var items = new List<CommentToScore>(claimed.Count);
        var failures = new List<(ClaimedComment Comment, Exception Error)>();
        foreach (var comment in claimed)
        {
            try
            {
                if (!articles.TryGetValue(comment.ArticleId, out var article))
                    articles[comment.ArticleId] = article = await LoadArticleAsync(comment.ArticleId, ct);
                if (article is not var (articleToScore, articleSettings)) throw new InvalidOperationException($"article {comment.ArticleId} is missing");
                toScore.Add((comment, articleSettings));
                items.Add(new CommentToScore(comment.Text, articleToScore, ThreadToScore.Empty));
            }
            catch (Exception e) when (e is not OperationCanceledException) { failures.Add((comment, e)); }
        }
        var tLoad = swT.Elapsed.TotalMilliseconds - tClaim;

        // Thread context for the whole batch at once; then score the batch (parallel, embeddings batched and gated).
        var threads = await storage.Inbox.GetThreadsAsync(toScore.Select(x => x.Comment).ToList(), o.ThreadSiblings, ct);
        for (int i = 0; i < items.Count; i++) items[i] = items[i] with { Thread = threads[toScore[i].Comment.CommentId] };
        var tThread = swT.Elapsed.TotalMilliseconds - tClaim - tLoad;
        IReadOnlyList<ScoreOutcome> outcomes;
        await using (var terms = await TermStatistics.OpenAsync(storage.Database, ct))
            outcomes = scorer.ScoreBatch(items, terms);
        var tScore = swT.Elapsed.TotalMilliseconds - tClaim - tLoad - tThread;

        var scored = new List<ScoredComment>(claimed.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var (comment, articleSettings) = toScore[i];
            if (outcomes[i].Error is { } error) { failures.Add((comment, error)); continue; }
            try
            {
                var result = outcomes[i].Result!;
                var verdict = Decide(comment.Text, result, settings, articleSettings);
                scored.Add(new ScoredComment(comment.CommentId, comment.TextVersion, result, verdict, TextStats.WordCount(comment.Text)));
            }
            catch (Exception e) when (e is not OperationCanceledException) { failures.Add((comment, e)); }
        }
        var tDecide = swT.Elapsed.TotalMilliseconds - tClaim - tLoad - tThread - tScore;
        foreach (var (comment, e) in failures)
        {
            log.LogWarning(e, "Scoring comment {CommentId} failed (attempt {Attempt})", comment.CommentId, comment.Attempts + 1);
            var gaveUp = await storage.Inbox.RecordFailureAsync(comment, e.GetType().Name + ": " + e.Message, o.MaxAttempts,
                o.Backoff((int)comment.Attempts + 1), time.GetUtcNow(), ct);
            if (gaveUp) log.LogError("Comment {CommentId} failed {Attempts} times; queued for a moderator", comment.CommentId, o.MaxAttempts);
        }
        var tw = swT.Elapsed.TotalMilliseconds;
        await storage.Inbox.WriteBatchAsync(scored, reports.CurrentValue.Policy(), time.GetUtcNow(), ct);
        if (log.IsEnabled(LogLevel.Debug))
            log.LogDebug("Batch of {N}: claim {C:F1} load {L:F1} thread {T:F1} score {S:F1} decide {D:F1} write {W:F1} total {Tot:F1} ms",
                claimed.Count, tClaim, tLoad, tThread, tScore, tDecide, swT.Elapsed.TotalMilliseconds - tw, swT.Elapsed.TotalMilliseconds);
        return claimed.Count;
    }

    /// <summary>The admin's word lists, the article's pre-moderation and thresholds, then the policy.</summary>
    static Verdict Decide(string text, ScoreResult result, ModerationSettings settings, ArticleSettings article)
    {
        var reasons = TermLists.Apply(text, result.Reasons, settings);
        if (article.Premoderation) reasons = [.. reasons, new Reason(ReasonCodes.Premoderation, 1.0)];
        return new ModerationPolicy(settings.ToPolicy(article.Reasons)).Decide(reasons);
    }

    /// <summary>The article with its stored profile (built and stored first if this article version has none) and its settings.</summary>
    async Task<(ArticleToScore, ArticleSettings)?> LoadArticleAsync(string articleId, CancellationToken ct)
    {
        var article = await storage.Inbox.GetArticleAsync(articleId, ct);
        if (article is null) return null;
        var profileVersion = scorer.ProfileVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var profile = await storage.Articles.GetProfileAsync(articleId, article.Version, profileVersion, ct);
        if (profile is null)
        {
            profile = scorer.BuildArticleProfile(article.Title, article.Body);
            await storage.Articles.SaveProfileAsync(articleId, article.Version, profileVersion, profile, ct);
        }
        return (new ArticleToScore(article.ArticleId, article.Title, article.Body, profile), await storage.Settings.GetArticleAsync(articleId, ct));
    }
}
