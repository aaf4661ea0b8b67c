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
/// <see cref="DrainAsync"/> runs batches back to back with the write of one overlapping the scoring of the
/// next (SQLite writes on one thread, scoring on the others), which the worker loop uses.
/// </summary>
public sealed class BatchProcessor(
    Database database,
    InboxRepository inbox,
    ArticleRepository articles,
    Moderation.Storage.Settings.SettingsRepository settingsRepository,
    ICommentScorer scorer,
    SettingsProvider settingsProvider,
    IOptionsMonitor<ReportOptions> reports,
    IOptionsMonitor<WorkerOptions> options,
    Health.WorkerHealth health,
    Telemetry.ModerationMetrics metrics,
    TimeProvider time,
    ILogger<BatchProcessor> log)
{
    readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    readonly ArticleCache articleCache = new();
    readonly Lock cacheLock = new();
    ThreadCache? threads;

    ThreadCache Threads(WorkerOptions o)
    {
        var current = threads;
        if (current is null || current.Keep != o.ThreadSiblings + 1 || current.MaxAge != o.ThreadCacheAge)
            threads = current = new ThreadCache(o.ThreadSiblings, o.ThreadCacheAge);
        return current;
    }

    public string Owner => owner;

    /// <summary>Drops the in-memory thread context (recent comments' embeddings), after an erasure; the next batch reads it again.</summary>
    public void ForgetThreads() => threads = null;

    /// <summary>A scored batch waiting to be written.</summary>
    sealed record ScoredBatch(int Claimed, List<ScoredComment> Scored, Dictionary<string, ClaimedComment> Claims,
        List<(ClaimedComment Comment, Exception Error)> Failures, string Timings);

    /// <summary>Claims, scores and writes one batch. Returns how many comments were claimed (0 = nothing to do).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(ct);
        if (claimed.Count == 0) return 0;
        await WriteAsync(await ScoreAsync(claimed, ct), ct);
        return claimed.Count;
    }

    /// <summary>
    /// Runs batches until a claim finds nothing; returns how many comments were claimed. Batch N+1 is scored
    /// while batch N is written: its thread context therefore does not see batch N's scores yet (as comments of
    /// one batch never see each other's). On PostgreSQL the claim of batch N+2 also runs while batch N+1 is scored:
    /// a claim is a round trip and a commit that would otherwise stall the scorer, and on a server row locks keep
    /// claims and writes apart. Also on PostgreSQL, two writes may be in flight (batches N and N+1 while N+2 is scored,
    /// whose thread context then sees neither): a batch's write took longer than scoring the next one (12-20 ms against
    /// 10-15 ms per 64 comments), so with one write at a time the scorer waited and 10-16 % of the machine sat idle;
    /// two writes touch disjoint comments and take the report counter's lock in share mode, so they do not wait on each
    /// other (docs/SCALING.md, "Session 10": +3 to +19 % in 3 of 3 alternating pairs). On SQLite the claim waits for
    /// the write instead, and one write runs at a time (both need the file's one write lock, so overlapping them would
    /// only add busy waits). If anything fails, the writes and the claim in flight are awaited,
    /// the comments this worker still holds are handed back, and the error goes to the caller (the worker loop backs off).
    /// Thread context comes from <see cref="ThreadCache"/>.
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        int total = 0;
        var writing = new Queue<Task>();
        Task<IReadOnlyList<ClaimedComment>>? claiming = null;
        var prefetch = database.IsPostgres;
        var maxWriting = prefetch ? 2 : 1;
        try
        {
            var claimed = await ClaimAsync(ct);
            while (claimed.Count > 0)
            {
                total += claimed.Count;
                // Only a full batch suggests more waits; a short one means the inbox is (nearly) empty.
                if (prefetch && claimed.Count == options.CurrentValue.BatchSize) claiming = ClaimAsync(ct);
                var batch = await ScoreAsync(claimed, ct);
                while (writing.Count >= maxWriting) await writing.Dequeue();
                if (claiming is not null) { claimed = await claiming; claiming = null; }
                else claimed = await ClaimAsync(ct);
                writing.Enqueue(Task.Run(() => WriteAsync(batch, ct), ct));   // SQLite's "async" calls run synchronously: own thread
            }
            while (writing.Count > 0) await writing.Dequeue();
            return total;
        }
        catch
        {
            foreach (var inFlight in writing.Append<Task?>(claiming))
                if (inFlight is not null)
                    try { await inFlight; } catch (Exception e) when (e is not OutOfMemoryException) { /* the first error is the one reported */ }
            try { await inbox.ReleaseAsync(owner, CancellationToken.None); }
            catch (Exception e) when (e is not OutOfMemoryException) { log.LogWarning(e, "Could not hand back claimed comments; they return when their lease ends"); }
            throw;
        }
    }

    Task<IReadOnlyList<ClaimedComment>> ClaimAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        return inbox.ClaimAsync(owner, o.BatchSize, o.Lease, time.GetUtcNow(), ct);
    }

    async Task<ScoredBatch> ScoreAsync(IReadOnlyList<ClaimedComment> claimed, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var settings = await settingsProvider.CurrentAsync(ct);
        var articles = await LoadArticlesAsync(claimed.Select(c => c.ArticleId).Distinct(StringComparer.Ordinal).ToList(), ct);
        var toScore = new List<(ClaimedComment Comment, ArticleSettings Settings)>(claimed.Count);
        var items = new List<CommentToScore>(claimed.Count);
        var failures = new List<(ClaimedComment Comment, Exception Error)>();
        foreach (var comment in claimed)
        {
            if (articles.TryGetValue(comment.ArticleId, out var article) && article.Error is null)
            {
                toScore.Add((comment, article.Settings!));
                items.Add(new CommentToScore(comment.Text, article.Article!, ThreadToScore.Empty));
            }
            else failures.Add((comment, article.Error ?? new InvalidOperationException($"article {comment.ArticleId} is missing")));
        }
        var tLoad = sw.Elapsed.TotalMilliseconds;

        // Thread context (kept in memory, read for articles met first or long ago), then score the batch (parallel, embeddings gated).
        var threadCache = Threads(o);
        var now = time.GetUtcNow();
        var stale = threadCache.Stale(toScore.Select(x => x.Comment.ArticleId).Distinct(StringComparer.Ordinal), now);
        if (stale.Count > 0)
        {
            var recent = await inbox.GetRecentScoredAsync(stale, threadCache.Keep, ct);
            foreach (var id in stale) threadCache.Load(id, recent.GetValueOrDefault(id) ?? [], now);
        }
        var parentIds = toScore.Where(x => x.Comment.ParentId is not null).Select(x => x.Comment.ParentId!).Distinct(StringComparer.Ordinal).ToList();
        var parents = await inbox.GetRelevanceAsync(parentIds, ct);
        for (int i = 0; i < items.Count; i++)
        {
            var c = toScore[i].Comment;
            double? parent = c.ParentId is not null && parents.TryGetValue(c.ParentId, out var p) ? p : null;
            items[i] = items[i] with { Thread = threadCache.For(c.ArticleId, c.CommentId, parent) };
        }
        var tThread = sw.Elapsed.TotalMilliseconds - tLoad;
        IReadOnlyList<ScoreOutcome> outcomes;
        await using (var terms = await TermStatistics.OpenAsync(database, ct))
            outcomes = scorer.ScoreBatch(items, terms);
        var tScore = sw.Elapsed.TotalMilliseconds - tLoad - tThread;

        var scored = new List<ScoredComment>(claimed.Count);
        for (int i = 0; i < items.Count; i++)
        {
            var (comment, articleSettings) = toScore[i];
            if (outcomes[i].Error is { } error) { failures.Add((comment, error)); continue; }
            try
            {
                var result = outcomes[i].Result!;
                var verdict = Decide(comment, result, settings, articleSettings);
                scored.Add(new ScoredComment(comment.CommentId, comment.TextVersion, result, verdict, TextStats.WordCount(comment.Text)));
            }
            catch (Exception e) when (e is not OperationCanceledException) { failures.Add((comment, e)); }
        }
        var tDecide = sw.Elapsed.TotalMilliseconds - tLoad - tThread - tScore;
        metrics.Stage("load", TimeSpan.FromMilliseconds(tLoad));
        metrics.Stage("thread", TimeSpan.FromMilliseconds(tThread));
        metrics.Stage("score", TimeSpan.FromMilliseconds(tScore));
        metrics.Stage("decide", TimeSpan.FromMilliseconds(tDecide));
        var timings = FormattableString.Invariant($"load {tLoad:F1} thread {tThread:F1} score {tScore:F1} decide {tDecide:F1}");
        return new ScoredBatch(claimed.Count, scored, claimed.ToDictionary(c => c.CommentId, StringComparer.Ordinal), failures, timings);
    }

    async Task WriteAsync(ScoredBatch batch, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (comment, e) in batch.Failures)
        {
            log.LogWarning(e, "Scoring comment {CommentId} failed (attempt {Attempt})", comment.CommentId, comment.Attempts + 1);
            var gaveUp = await inbox.RecordFailureAsync(comment, e.GetType().Name + ": " + e.Message, o.MaxAttempts,
                o.Backoff((int)comment.Attempts + 1), time.GetUtcNow(), ct);
            metrics.Failed(gaveUp);
            if (gaveUp) log.LogError("Comment {CommentId} failed {Attempts} times; queued for a moderator", comment.CommentId, o.MaxAttempts);
        }
        var written = (await inbox.WriteBatchAsync(batch.Scored, reports.CurrentValue.Policy(), time.GetUtcNow(), ct)).ToHashSet(StringComparer.Ordinal);
        health.Progress(time.GetUtcNow());
        metrics.Stage("write", sw.Elapsed);
        var debug = log.IsEnabled(LogLevel.Debug);
        foreach (var s in batch.Scored)
        {
            if (!written.Contains(s.CommentId)) continue;
            metrics.Scored(s.Verdict.Status);
            if (debug) log.LogDebug("Comment {CommentId} on article {ArticleId} scored: {Status}", s.CommentId, batch.Claims[s.CommentId].ArticleId, s.Verdict.Status);
        }
        var threadCache = Threads(o);
        foreach (var s in batch.Scored)
            if (written.Contains(s.CommentId) && batch.Claims[s.CommentId] is { } claim)
                threadCache.Add(claim.ArticleId, new RecentComment(s.CommentId, claim.Seq, s.WordCount, s.Result.Embedding));
        if (log.IsEnabled(LogLevel.Debug))
        {
            var gc = GC.GetGCMemoryInfo();
            log.LogDebug("Batch of {N}: {Timings} write {W:F1} ms; managed heap {Heap} MB of {Committed} MB committed",
                batch.Claimed, batch.Timings, sw.Elapsed.TotalMilliseconds, gc.HeapSizeBytes >> 20, gc.TotalCommittedBytes >> 20);
        }
    }

    /// <summary>
    /// The batch's articles with their profiles and settings: current versions and settings in one query each,
    /// unchanged articles from <see cref="articleCache"/>, the rest read (and profiled if this version has no
    /// profile yet). An article that cannot be loaded fails only its own comments.
    /// </summary>
    async Task<Dictionary<string, (ArticleToScore? Article, ArticleSettings? Settings, Exception? Error)>> LoadArticlesAsync(
        IReadOnlyList<string> ids, CancellationToken ct)
    {
        var versions = await inbox.GetArticleVersionsAsync(ids, ct);
        var settings = await settingsRepository.GetArticlesAsync(ids, ct);
        var result = new Dictionary<string, (ArticleToScore?, ArticleSettings?, Exception?)>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (!versions.TryGetValue(id, out var version)) continue;
            ArticleToScore? article;
            lock (cacheLock) article = articleCache.Get(id, version);
            try
            {
                if (article is null && await LoadArticleAsync(id, ct) is var (loaded, loadedVersion))
                {
                    article = loaded;
                    lock (cacheLock) articleCache.Put(id, loadedVersion, loaded);
                }
                if (article is not null) result[id] = (article, settings[id], null);
            }
            catch (Exception e) when (e is not OperationCanceledException) { result[id] = (null, null, e); }
        }
        return result;
    }

    /// <summary>The admin's word lists, the article's pre-moderation and thresholds, then the policy (which also knows
    /// whether this text is an edit of a comment a moderator decided).</summary>
    static Verdict Decide(ClaimedComment comment, ScoreResult result, ModerationSettings settings, ArticleSettings article)
    {
        var reasons = TermLists.Apply(comment.Text, result.Reasons, settings);
        if (article.Premoderation) reasons = [.. reasons, new Reason(ReasonCodes.Premoderation, 1.0)];
        return new ModerationPolicy(settings.ToPolicy(article.Reasons)).Decide(reasons, comment.DecidedAs);
    }

    /// <summary>The article with its stored profile (built and stored first if this article version has none), and its version.</summary>
    async Task<(ArticleToScore, long)?> LoadArticleAsync(string articleId, CancellationToken ct)
    {
        var article = await inbox.GetArticleAsync(articleId, ct);
        if (article is null) return null;
        var profileVersion = scorer.ProfileVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var profile = await articles.GetProfileAsync(articleId, article.Version, profileVersion, ct);
        if (profile is null)
        {
            profile = scorer.BuildArticleProfile(article.Title, article.Body);
            await articles.SaveProfileAsync(articleId, article.Version, profileVersion, profile, ct);
        }
        return (new ArticleToScore(article.ArticleId, article.Title, article.Body, profile), article.Version);
    }
}
