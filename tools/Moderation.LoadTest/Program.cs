// Loopback load generator for the moderation service (scripts/load.sh drives it; method in docs/PERFORMANCE.md).
// Every command is bounded in requests and time and stops by itself; only http://127.0.0.1 is accepted.
//
//   ingest  --url U --key K --data DIR [--articles 200] [--comments 100000] [--words 60] [--concurrency 16]
//   drain   --db F --expect N [--timeout 3600]                       wait until nothing is 'received'; scored/s
//   mix     --url U --key K --db F --data DIR [--comment-rate 200] [--report-rate 500] [--duration 60]
//   reports --url U --key K --db F --data DIR [--duration 20] [--concurrency 32]
//   queue-seed --db F [--rows 1000000]                                 direct SQL (service stopped)
//   queue   --url U --key K --db F [--requests 400]                    GET /api/queue latency per filter/sort
//   verify  --db F [--expect-comments N] [--expect-reports M]          counts in the database
//   scalar  --db F --sql "SELECT …"                                    prints one number (load.sh's final checks)
//   pg-createdb --pg CS                                                 makes a fresh database; prints its connection string
//
// Every --db F (a SQLite file) may be --pg CS instead (a PostgreSQL connection string): the same checks on that server.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

var cmd = args.Length > 0 ? args[0] : "help";
var opt = Opts.Parse(args.Skip(1).ToArray());
try
{
    return cmd switch
    {
        "ingest" => await Commands.Ingest(opt),
        "drain" => await Commands.Drain(opt),
        "mix" => await Commands.Mix(opt),
        "reports" => await Commands.Reports(opt),
        "queue-seed" => Commands.QueueSeed(opt),
        "queue" => await Commands.Queue(opt),
        "verify" => Commands.Verify(opt, opt.Long("expect-comments", -1), opt.Long("expect-reports", -1)) ? 0 : 1,
        "scalar" => Commands.PrintScalar(opt),
        "pg-createdb" => Commands.PgCreateDb(opt),
        _ => Usage(),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Moderation.LoadTest ingest|drain|mix|reports|queue-seed|queue|verify [options] (see Program.cs header)");
    return 2;
}

sealed class Opts(Dictionary<string, string> values)
{
    public static Opts Parse(string[] a)
    {
        var d = new Dictionary<string, string>();
        for (int i = 0; i < a.Length; i++)
        {
            if (!a[i].StartsWith("--")) throw new ArgumentException($"unexpected argument {a[i]}");
            var k = a[i][2..];
            d[k] = i + 1 < a.Length && !a[i + 1].StartsWith("--") ? a[++i] : "true";
        }
        return new Opts(d);
    }
    public string Str(string k, string? def = null) => values.TryGetValue(k, out var v) ? v : def ?? throw new ArgumentException($"--{k} is required");
    public long Long(string k, long def) => values.TryGetValue(k, out var v) ? long.Parse(v) : def;
    public double Dbl(string k, double def) => values.TryGetValue(k, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : def;

    /// <summary>The database arguments to hand on to a nested command (<c>--db F</c> or <c>--pg CS</c>).</summary>
    public string[] DbArgs() => values.TryGetValue("pg", out var cs) ? ["--pg", cs] : ["--db", Str("db")];

    public bool IsPostgres => values.ContainsKey("pg");

    public Uri Url()
    {
        var u = new Uri(Str("url"));
        if (u.Host != "127.0.0.1") throw new ArgumentException("only http://127.0.0.1 targets are allowed");
        return u;
    }
}

/// <summary>Latencies of one request kind (milliseconds), and outcome counts.</summary>
sealed class Stats(string name)
{
    readonly List<double> ms = new();
    public long Ok, Failed;
    public readonly Dictionary<int, long> ByStatus = new();
    public string Name => name;

    public void Add(double millis, int status, bool ok)
    {
        lock (ms)
        {
            ms.Add(millis);
            ByStatus[status] = ByStatus.GetValueOrDefault(status) + 1;
            if (ok) Ok++; else Failed++;
        }
    }

    public double Pct(double p)
    {
        lock (ms)
        {
            if (ms.Count == 0) return double.NaN;
            var s = ms.Order().ToArray();
            return s[Math.Clamp((int)Math.Ceiling(p / 100 * s.Length) - 1, 0, s.Length - 1)];
        }
    }

    public string Line(double seconds) =>
        $"{name,-28} n={Ok + Failed,7} ok={Ok,7} failed={Failed,5} rate={(Ok + Failed) / seconds,8:F1}/s p50={Pct(50),7:F2}ms p90={Pct(90),7:F2}ms p99={Pct(99),7:F2}ms max={Pct(100),8:F2}ms status=[{string.Join(",", ByStatus.OrderBy(k => k.Key).Select(k => $"{k.Key}:{k.Value}"))}]";
}

/// <summary>Articles and ~N-word comments built from the hand-written relevance training data (realistic mix of on- and off-topic).</summary>
sealed class Corpus
{
    sealed record SrcComment(string Text, bool OnTopic);
    sealed record SrcArticle(string Id, string Title, string Body, List<SrcComment> Comments);

    readonly List<SrcArticle> sources;
    Corpus(List<SrcArticle> s) => sources = s;

    public static Corpus Load(string dir)
    {
        var list = new List<SrcArticle>();
        foreach (var f in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(f));
            var r = doc.RootElement;
            var comments = r.GetProperty("comments").EnumerateArray()
                .Select(c => new SrcComment(c.GetProperty("text").GetString()!, c.GetProperty("onTopic").GetBoolean())).ToList();
            list.Add(new SrcArticle(r.GetProperty("id").GetString()!, r.GetProperty("title").GetString()!, r.GetProperty("body").GetString()!, comments));
        }
        if (list.Count == 0) throw new ArgumentException($"no *.json articles in {dir}");
        return new Corpus(list);
    }

    public (string Id, string Title, string Body) Article(int i)
    {
        var s = sources[i % sources.Count];
        return ($"{s.Id}-{i / sources.Count}", s.Title, s.Body);
    }

    /// <summary>Comments of the same label under the same source article, joined until about <paramref name="words"/> words.</summary>
    public string Comment(int article, Random rng, int words)
    {
        var s = sources[article % sources.Count];
        bool on = rng.NextDouble() < 0.65;
        var pool = s.Comments.Where(c => c.OnTopic == on).ToList();
        if (pool.Count == 0) pool = s.Comments;
        var sb = new List<string>();
        while (sb.Count < words - 5)
            sb.AddRange(pool[rng.Next(pool.Count)].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return string.Join(' ', sb.Take(words + rng.Next(-5, 6)));
    }
}

static class Commands
{
    static readonly string[] ReportReasons = ["offensive", "abusive", "spam", "off_topic", "other"];

    static HttpClient Client(Opts o, int connections = 512) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = o.Url(),
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", o.Str("key")) },
    };

    static DbConnection OpenDb(Opts o, bool write = false)
    {
        if (o.IsPostgres)
        {
            var pg = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(o.Str("pg")) { Pooling = false, CommandTimeout = 0 }.ToString());
            pg.Open();
            return pg;
        }
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = o.Str("db"),
            Mode = write ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString());
        c.Open();
        Exec(c, "PRAGMA busy_timeout = 60000");
        return c;
    }

    static void Exec(DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        cmd.ExecuteNonQuery();
    }

    static long Scalar(DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        var v = cmd.ExecuteScalar();
        return v is null or DBNull ? 0 : Convert.ToInt64(v);
    }

    static string? Text(DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() as string;
    }

    public static int PrintScalar(Opts o)
    {
        using var c = OpenDb(o);
        Console.WriteLine(Scalar(c, o.Str("sql")));
        return 0;
    }

    /// <summary>A fresh database on the server of <c>--pg</c> (a run never meets an earlier run's rows); prints its connection string.</summary>
    public static int PgCreateDb(Opts o)
    {
        var cs = new NpgsqlConnectionStringBuilder(o.Str("pg"));
        var name = $"load_{DateTime.UtcNow:yyyyMMddHHmmss}_{Random.Shared.Next(100000, 999999)}";
        using (var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cs.ConnectionString) { Pooling = false }.ToString()))
        {
            c.Open();
            Exec(c, $"CREATE DATABASE {name}");
        }
        cs.Database = name;
        Console.WriteLine(cs.ConnectionString);
        return 0;
    }

    static async Task<(bool Ok, int Status, string Body)> Send(HttpClient http, HttpMethod m, string path, object? body, Stats stats, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            using var req = new HttpRequestMessage(m, path);
            if (body is not null) req.Content = JsonContent.Create(body);
            using var res = await http.SendAsync(req, ct);
            var text = await res.Content.ReadAsStringAsync(ct);
            stats.Add(sw.Elapsed.TotalMilliseconds, (int)res.StatusCode, res.IsSuccessStatusCode);
            return (res.IsSuccessStatusCode, (int)res.StatusCode, text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            stats.Add(sw.Elapsed.TotalMilliseconds, 0, false);
            return (false, 0, e.Message);
        }
    }

    static async Task PutArticles(HttpClient http, Corpus corpus, int count)
    {
        var st = new Stats("PUT article");
        for (int i = 0; i < count; i++)
        {
            var (id, title, body) = corpus.Article(i);
            var r = await Send(http, HttpMethod.Put, $"api/articles/{id}", new { title, body }, st);
            if (!r.Ok) throw new InvalidOperationException($"PUT article {id}: {r.Status} {r.Body}");
        }
    }

    /// <summary>Runs <paramref name="total"/> jobs with <paramref name="concurrency"/> callers, or until <paramref name="maxSeconds"/>.</summary>
    static async Task<double> ClosedLoop(int concurrency, long total, double maxSeconds, Func<long, Task> job)
    {
        long next = -1;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) < total && sw.Elapsed.TotalSeconds < maxSeconds) await job(i);
        }));
        return sw.Elapsed.TotalSeconds;
    }

    public static async Task<int> Ingest(Opts o)
    {
        var corpus = Corpus.Load(o.Str("data"));
        int articles = (int)o.Long("articles", 200), words = (int)o.Long("words", 60);
        long comments = o.Long("comments", 100_000);
        using var http = Client(o);
        await PutArticles(http, corpus, articles);
        var st = new Stats("POST comment (ingest)");
        var texts = new string[comments];
        var rng = new Random((int)o.Long("seed", 42));
        for (long i = 0; i < comments; i++) texts[i] = corpus.Comment((int)(i % articles), rng, words);
        Console.WriteLine($"ingest: {articles} articles, {comments} comments, mean {texts.Average(t => t.Split(' ').Length):F1} words");
        var secs = await ClosedLoop((int)o.Long("concurrency", 16), comments, o.Dbl("max-seconds", 1800), async i =>
        {
            var (id, _, _) = corpus.Article((int)(i % articles));
            await Send(http, HttpMethod.Post, $"api/articles/{id}/comments", new { commentId = $"b{i}", text = texts[i], authorId = $"a{i % 5000}" }, st);
        });
        Console.WriteLine(st.Line(secs));
        Console.WriteLine($"ingest: {st.Ok} accepted in {secs:F1} s");
        return st.Failed == 0 ? 0 : 1;
    }

    /// <summary>Waits until nothing is 'received'; prints the scoring rate measured from the stored scored_at times and from the wall clock.</summary>
    public static async Task<int> Drain(Opts o)
    {
        long expect = o.Long("expect", 0);
        var timeout = o.Dbl("timeout", 3600);
        var sw = Stopwatch.StartNew();
        long received = -1, firstLeft = -1;
        double firstAt = 0, lastPrint = 0;
        while (sw.Elapsed.TotalSeconds < timeout)
        {
            // Counting the waiting rows costs the database a scan of them (45 ms at 20,000 on PostgreSQL: 18 % of a core at
            // four polls a second, taken from the run it measures); whether any waits is one index probe. Counted for the
            // progress line only (every 10 s) and for the first poll.
            var print = sw.Elapsed.TotalSeconds - lastPrint >= 10 || firstLeft < 0;
            using (var c = OpenDb(o))
                received = print ? Scalar(c, "SELECT count(*) FROM comments WHERE status = 'received'")
                    : Scalar(c, "SELECT CASE WHEN EXISTS (SELECT 1 FROM comments WHERE status = 'received') THEN 1 ELSE 0 END");
            if (firstLeft < 0 && received < expect) { firstLeft = received; firstAt = sw.Elapsed.TotalSeconds; }
            if (print && sw.Elapsed.TotalSeconds - lastPrint >= 10) { Console.WriteLine($"drain: t={sw.Elapsed.TotalSeconds:F0}s received={received}"); lastPrint = sw.Elapsed.TotalSeconds; }
            if (received == 0) break;
            if (o.Long("pid", 0) is var pid and > 0 && !Directory.Exists($"/proc/{pid}"))
            {
                Console.WriteLine($"drain: the service (pid {pid}) is gone; stopping");
                break;
            }
            await Task.Delay(250);
        }
        var wall = sw.Elapsed.TotalSeconds;
        using var db = OpenDb(o);
        long scored = Scalar(db, "SELECT count(*) FROM scores");
        var first = Text(db, "SELECT min(scored_at) FROM scores");
        var last = Text(db, "SELECT max(scored_at) FROM scores");
        double span = first is null ? 0 : (DateTimeOffset.Parse(last!) - DateTimeOffset.Parse(first)).TotalSeconds;
        long withEmb = Scalar(db, "SELECT count(*) FROM scores WHERE embedding IS NOT NULL");
        Console.WriteLine($"drain: received={received} scored={scored} (with embedding {withEmb}, {100.0 * withEmb / Math.Max(1, scored):F1}%)");
        Console.WriteLine($"drain: wall {wall:F1} s from worker start => {scored / wall:F1} comments/s; first..last scored_at {span:F1} s => {scored / Math.Max(span, 1e-3):F1} comments/s");
        return received == 0 ? 0 : 1;
    }

    /// <summary>Issue 8's mix: open-loop reports and new comments at fixed rates while the worker scores; then drain and verify.</summary>
    public static async Task<int> Mix(Opts o)
    {
        var corpus = Corpus.Load(o.Str("data"));
        double commentRate = o.Dbl("comment-rate", 200), reportRate = o.Dbl("report-rate", 500), duration = o.Dbl("duration", 60);
        int articles = (int)o.Long("articles", 40), seedComments = (int)o.Long("seed-comments", 2000);
        using var http = Client(o);
        await PutArticles(http, corpus, articles);
        var rng = new Random(7);
        var seedSt = new Stats("POST comment (seed)");
        await ClosedLoop(8, seedComments, 600, async i =>
        {
            string text;
            lock (rng) text = corpus.Comment((int)(i % articles), rng, 60);
            await Send(http, HttpMethod.Post, $"api/articles/{corpus.Article((int)(i % articles)).Id}/comments", new { commentId = $"s{i}", text }, seedSt);
        });
        if (seedSt.Failed > 0) throw new InvalidOperationException("seeding comments failed");
        Console.WriteLine($"mix: seeded {articles} articles and {seedComments} comments; waiting for the worker to score them");
        await Drain(Opts.Parse([.. o.DbArgs(), "--expect", seedComments.ToString(), "--timeout", "900"]));

        var cSt = new Stats("POST comment (new)");
        var rSt = new Stats("POST report");
        long comments = (long)(commentRate * duration), reports = (long)(reportRate * duration);
        var texts = Enumerable.Range(0, (int)comments).Select(i => corpus.Comment(i % articles, rng, 60)).ToArray();
        long inFlight = 0, skipped = 0, reportsCounted = 0;
        var maxInFlight = o.Long("max-in-flight", 2000);
        var tasks = new List<Task>();
        var sw = Stopwatch.StartNew();

        async Task Paced(long total, double rate, Func<long, Task> job)
        {
            for (long i = 0; i < total; i++)
            {
                var due = i / rate;
                var wait = due - sw.Elapsed.TotalSeconds;
                if (wait > 0.002) await Task.Delay(TimeSpan.FromSeconds(wait));
                if (Interlocked.Read(ref inFlight) >= maxInFlight) { Interlocked.Increment(ref skipped); continue; }
                Interlocked.Increment(ref inFlight);
                var k = i;   // the loop variable is shared by the closures
                var t = Task.Run(async () => { try { await job(k); } finally { Interlocked.Decrement(ref inFlight); } });
                lock (tasks) tasks.Add(t);
            }
        }

        var commentLoop = Paced(comments, commentRate, async i =>
        {
            var a = (int)(i % articles);
            await Send(http, HttpMethod.Post, $"api/articles/{corpus.Article(a).Id}/comments", new { commentId = $"m{i}", text = texts[i], authorId = $"a{i % 500}" }, cSt);
        });
        var reportLoop = Paced(reports, reportRate, async i =>
        {
            // Mostly already-scored comments, some just-ingested ones (reported before they are scored).
            var target = i % 10 == 0 && i / 10 < comments ? $"m{Math.Max(0, (long)(sw.Elapsed.TotalSeconds * commentRate) - 50)}" : $"s{i % seedComments}";
            var r = await Send(http, HttpMethod.Post, $"api/comments/{target}/reports", new { reason = ReportReasons[i % 5], reporterId = $"r{i}" }, rSt);
            if (r.Ok && r.Body.Contains("\"counted\":true")) Interlocked.Increment(ref reportsCounted);
        });
        await Task.WhenAll(commentLoop, reportLoop);
        Task[] all;
        lock (tasks) all = tasks.ToArray();
        await Task.WhenAll(all);
        var secs = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"mix: offered {comments} comments at {commentRate}/s and {reports} reports at {reportRate}/s over {secs:F1} s; client skipped {skipped} (in-flight cap)");
        Console.WriteLine(cSt.Line(secs));
        Console.WriteLine(rSt.Line(secs));
        Console.WriteLine("mix: waiting for the worker to drain");
        var drained = await Drain(Opts.Parse([.. o.DbArgs(), "--expect", "1", "--timeout", "900"]));
        long rejected404 = rSt.ByStatus.GetValueOrDefault(404);
        Console.WriteLine($"mix: reports accepted {rSt.ByStatus.GetValueOrDefault(202)} (counted {reportsCounted}), 404 (comment not yet ingested) {rejected404}");
        var ok = Verify(o, seedComments + cSt.ByStatus.GetValueOrDefault(202), reportsCounted);
        return ok && drained == 0 && skipped == 0 && cSt.Failed == 0 && rSt.Failed == rejected404 ? 0 : 1;
    }

    /// <summary>The report endpoint alone: closed loop, distinct reporters, for a fixed time.</summary>
    public static async Task<int> Reports(Opts o)
    {
        var corpus = Corpus.Load(o.Str("data"));
        using var http = Client(o);
        await PutArticles(http, corpus, 1);
        var seedSt = new Stats("seed");
        int targets = (int)o.Long("targets", 500);
        var rng = new Random(3);
        await ClosedLoop(8, targets, 600, async i =>
        {
            string text;
            lock (rng) text = corpus.Comment(0, rng, 30);
            await Send(http, HttpMethod.Post, $"api/articles/{corpus.Article(0).Id}/comments", new { commentId = $"t{i}", text }, seedSt);
        });
        await Drain(Opts.Parse([.. o.DbArgs(), "--expect", targets.ToString(), "--timeout", "600"]));
        var st = new Stats("POST report");
        // Warm-up, not timed: --warmup seconds (default 10) at the measured concurrency, so the figure is the service's
        // steady state. The runtime keeps recompiling hot code with better tiers for several seconds after start
        // (perf, PostgreSQL, the former warm-up of 2,000 reports: the tiered-compilation thread took ~20 % of the
        // machine's CPU 8-16 s after the service started, inside the timed run), and a run
        // timed from a cold start measured that instead. Its reports are counted as they are answered.
        long counted = 0;
        int concurrency = (int)o.Long("concurrency", 32);
        await ClosedLoop(concurrency, 1_000_000, o.Dbl("warmup", 10), async i =>
        {
            var r = await Send(http, HttpMethod.Post, $"api/comments/t{i % targets}/reports", new { reason = "spam", reporterId = $"w{i}" }, new Stats("warm"));
            if (r.Ok && r.Body.Contains("\"counted\":true")) Interlocked.Increment(ref counted);
        });
        var secs = await ClosedLoop(concurrency, o.Long("max-requests", 1_000_000), o.Dbl("duration", 20), async i =>
        {
            var r = await Send(http, HttpMethod.Post, $"api/comments/t{i % targets}/reports", new { reason = ReportReasons[i % 5], reporterId = $"r{i}" }, st);
            if (r.Ok && r.Body.Contains("\"counted\":true")) Interlocked.Increment(ref counted);
        });
        Console.WriteLine(st.Line(secs));
        Console.WriteLine($"reports: {st.Ok / secs:F0} accepted requests/s");
        return Verify(o, targets, counted) && st.Failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// Fills the queue with <c>--rows</c> entries (and comments, some reports) by SQL: minutes of API calls become seconds.
    /// The rows are dated January to March 2026 and are written as a live database would hold them by then: the reports
    /// carry no hashed client address, which the retention job (Moderation:Retention:AddressHashes, 30 days) removes
    /// from older reports. Seeded with one, the service's retention job rewrote all ~500,000 reports in chunks of 500
    /// (59 ms of the server's CPU each, pg_stat_statements) during the timed listing requests, a once-only catch-up
    /// that no running service meets at once.
    /// </summary>
    public static int QueueSeed(Opts o)
    {
        if (o.IsPostgres) return PgQueueSeed(o);
        long rows = o.Long("rows", 1_000_000);
        var sw = Stopwatch.StartNew();
        using var c = OpenDb(o, write: true);
        Exec(c, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;");
        Exec(c, "BEGIN");
        Exec(c, """
            INSERT OR IGNORE INTO articles (article_id, title, body, version, created_at, updated_at)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
            SELECT 'qa' || i, 'Seeded article ' || i, 'Body of seeded article ' || i, 1, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00' FROM n
            """);
        Exec(c, $"""
            INSERT INTO comments (comment_id, article_id, text, status, author_id, received_at, updated_at)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {rows - 1})
            SELECT 'q' || i, 'qa' || (i % 2000),
                   'Seeded comment number ' || i || ' about the council budget, the bus routes and the library hours, written to fill the queue for the listing benchmark.',
                   CASE WHEN i % 10 < 6 THEN 'pending' WHEN i % 10 < 7 THEN 'hidden' WHEN i % 10 < 9 THEN 'approved' ELSE 'rejected' END,
                   'u' || (i % 50000),
                   strftime('%Y-%m-%dT%H:%M:%S.0000000+00:00', '2026-01-01', '+' || (i * 7) || ' seconds'),
                   strftime('%Y-%m-%dT%H:%M:%S.0000000+00:00', '2026-01-01', '+' || (i * 7) || ' seconds')
            FROM n
            """);
        Exec(c, """
            INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at, decided_at, decided_by, action)
            SELECT comment_id, article_id,
                   CASE WHEN status IN ('pending', 'hidden') THEN 'pending' ELSE 'decided' END,
                   round(abs(random() % 10000) / 10000.0, 2),
                   CASE seq % 7 WHEN 0 THEN ',profanity,' WHEN 1 THEN ',off_topic,' WHEN 2 THEN ',off_topic_length,' WHEN 3 THEN ',reader_reports,'
                                WHEN 4 THEN ',profanity,reader_reports,' WHEN 5 THEN ',off_topic,reader_reports,' ELSE ',profanity,off_topic,' END,
                   '[{"code":"profanity","score":0.91}]',
                   received_at,
                   CASE WHEN status IN ('approved', 'rejected') THEN received_at END,
                   CASE WHEN status IN ('approved', 'rejected') THEN 'seed' END,
                   CASE status WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' END
            FROM comments WHERE comment_id LIKE 'q%'
            """);
        // Reports on one comment in four, 1-3 each (~500k rows). No address hash (see QueueSeed).
        Exec(c, """
            INSERT OR IGNORE INTO reports (comment_id, reporter_key, address_key, reason, created_at)
            SELECT comment_id, 'id:r' || (seq % 9973) || '-' || k, NULL, 'spam', received_at
            FROM comments, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) WHERE comment_id LIKE 'q%' AND seq % 4 = 0 AND k <= 1 + seq % 3
            """);
        Exec(c, "COMMIT");
        Exec(c, "ANALYZE");
        PrintSeeded(c, sw);
        return 0;
    }

    static void PrintSeeded(DbConnection c, Stopwatch sw) =>
        Console.WriteLine($"queue-seed: {Scalar(c, "SELECT count(*) FROM queue")} queue rows, {Scalar(c, "SELECT count(*) FROM comments")} comments, {Scalar(c, "SELECT count(*) FROM reports")} reports in {sw.Elapsed.TotalSeconds:F1} s");

    /// <summary>
    /// The same rows as the SQLite seed, made by the server from generate_series (nothing is held in this process).
    /// The schema's row triggers on queue and reports are switched off for the seed's own transaction (the tables'
    /// owner may), and the seed writes what they would have written: the listing columns (excerpt, comment status,
    /// report count) and one bump of the report counter. With them on, each seeded report updated the one counter row
    /// and its queue row (500,000 versions of one row in one transaction): the 1M-row seed had not ended after 20 min.
    /// </summary>
    static int PgQueueSeed(Opts o)
    {
        long rows = o.Long("rows", 1_000_000);
        var sw = Stopwatch.StartNew();
        using var c = OpenDb(o, write: true);
        const string Iso = "'YYYY-MM-DD\"T\"HH24:MI:SS\".0000000+00:00\"'";
        Exec(c, "BEGIN");
        Exec(c, """
            INSERT INTO articles (article_id, title, body, version, created_at, updated_at)
            SELECT 'qa' || i, 'Seeded article ' || i, 'Body of seeded article ' || i, 1, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00'
            FROM generate_series(0, 1999) AS i
            ON CONFLICT DO NOTHING
            """);
        Exec(c, $"""
            INSERT INTO comments (comment_id, article_id, text, status, author_id, received_at, updated_at)
            SELECT 'q' || i, 'qa' || (i % 2000),
                   'Seeded comment number ' || i || ' about the council budget, the bus routes and the library hours, written to fill the queue for the listing benchmark.',
                   CASE WHEN i % 10 < 6 THEN 'pending' WHEN i % 10 < 7 THEN 'hidden' WHEN i % 10 < 9 THEN 'approved' ELSE 'rejected' END,
                   'u' || (i % 50000),
                   to_char(timestamp '2026-01-01' + i * interval '7 seconds', {Iso}),
                   to_char(timestamp '2026-01-01' + i * interval '7 seconds', {Iso})
            FROM generate_series(0, {rows - 1}) AS i
            """);
        Exec(c, "ALTER TABLE reports DISABLE TRIGGER USER; ALTER TABLE queue DISABLE TRIGGER USER");
        Exec(c, """
            INSERT INTO reports (comment_id, reporter_key, address_key, reason, created_at)
            SELECT comment_id, 'id:r' || (seq % 9973) || '-' || k, NULL, 'spam', received_at
            FROM comments, (VALUES (1), (2), (3)) AS ks(k) WHERE comment_id LIKE 'q%' AND seq % 4 = 0 AND k <= 1 + seq % 3
            ON CONFLICT DO NOTHING
            """);
        Exec(c, """
            INSERT INTO queue (comment_id, article_id, state, priority, reason_codes, reasons, flagged_at, decided_at, decided_by, action,
                               excerpt, comment_status, report_count)
            SELECT c.comment_id, c.article_id,
                   CASE WHEN c.status IN ('pending', 'hidden') THEN 'pending' ELSE 'decided' END,
                   round((random() * 10000)::int / 10000.0, 2),
                   CASE c.seq % 7 WHEN 0 THEN ',profanity,' WHEN 1 THEN ',off_topic,' WHEN 2 THEN ',off_topic_length,' WHEN 3 THEN ',reader_reports,'
                                  WHEN 4 THEN ',profanity,reader_reports,' WHEN 5 THEN ',off_topic,reader_reports,' ELSE ',profanity,off_topic,' END,
                   '[{"code":"profanity","score":0.91}]',
                   c.received_at,
                   CASE WHEN c.status IN ('approved', 'rejected') THEN c.received_at END,
                   CASE WHEN c.status IN ('approved', 'rejected') THEN 'seed' END,
                   CASE c.status WHEN 'approved' THEN 'approve' WHEN 'rejected' THEN 'reject' END,
                   substr(c.text, 1, 280), c.status, coalesce(r.n, 0)
            FROM comments c LEFT JOIN (SELECT comment_id, count(*) AS n FROM reports GROUP BY comment_id) r ON r.comment_id = c.comment_id
            WHERE c.comment_id LIKE 'q%'
            """);
        Exec(c, "ALTER TABLE reports ENABLE TRIGGER USER; ALTER TABLE queue ENABLE TRIGGER USER");
        Exec(c, "UPDATE report_generation SET value = value + 1");   // what the triggers say when reports change: held tallies are stale
        Exec(c, "COMMIT");
        Exec(c, "VACUUM ANALYZE");
        // ~1 GB just written: flushed now rather than by a checkpoint in the middle of the timed requests. Needs
        // pg_checkpoint (scripts/postgres-local.sh grants it); without it the server checkpoints when it will.
        try { Exec(c, "CHECKPOINT"); }
        catch (PostgresException e) when (e.SqlState == "42501") { Console.WriteLine("queue-seed: no CHECKPOINT (the role lacks pg_checkpoint)"); }
        PrintSeeded(c, sw);
        return 0;
    }

    /// <summary>GET /api/queue latency, one request at a time (latency, not throughput), per filter and sort, first page and a deep page.</summary>
    public static async Task<int> Queue(Opts o)
    {
        using var http = Client(o, 4);
        int n = (int)o.Long("requests", 400);
        string[] variants =
        [
            "state=pending&sort=priority&limit=50",
            "state=pending&sort=newest&limit=50",
            "state=pending&sort=oldest&limit=50",
            "state=pending&sort=priority&reason=profanity&limit=50",
            "state=pending&sort=priority&reason=reader_reports&limit=50",
            "state=pending&sort=newest&reason=off_topic_length&limit=50",
            "state=pending&sort=priority&articleId=qa12&limit=50",
            "state=pending&sort=newest&articleId=qa12&limit=50",
            "state=pending&sort=priority&reason=scoring_failed&limit=50",
            "state=decided&sort=newest&limit=50",
            "state=pending&sort=priority&limit=200",
        ];
        // --only limit=200: the variants containing the text (e.g. to profile one of them).
        var only = o.Str("only", "");
        variants = variants.Where(v => v.Contains(only, StringComparison.Ordinal)).ToArray();
        var ok = true;
        // Warm-up, not measured: every variant and its second page for a few seconds, so the service's (and this
        // tool's) code has reached its optimised JIT tier before any variant is timed; a service that has been up
        // for a while is what a moderator meets.
        var warm = new Stats("warm");
        for (var warmUp = Stopwatch.StartNew(); warmUp.Elapsed < TimeSpan.FromSeconds(5);)
            foreach (var v in variants)
            {
                var r = await Send(http, HttpMethod.Get, "api/queue?" + v, null, warm);
                if (!r.Ok) continue;
                using var doc = JsonDocument.Parse(r.Body);
                if (doc.RootElement.TryGetProperty("nextCursor", out var nc) && nc.GetString() is { } c)
                    await Send(http, HttpMethod.Get, $"api/queue?{v}&cursor={Uri.EscapeDataString(c)}", null, warm);
            }
        foreach (var v in variants)
        {
            var st = new Stats(v);
            var pageSt = new Stats(v + " (page 2)");
            string? cursor = null;
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                var r = await Send(http, HttpMethod.Get, "api/queue?" + v, null, st);
                if (i == 0 && r.Ok)
                {
                    using var doc = JsonDocument.Parse(r.Body);
                    cursor = doc.RootElement.TryGetProperty("nextCursor", out var nc) ? nc.GetString() : null;
                }
                if (cursor is not null) await Send(http, HttpMethod.Get, $"api/queue?{v}&cursor={Uri.EscapeDataString(cursor)}", null, pageSt);
            }
            Console.WriteLine(st.Line(sw.Elapsed.TotalSeconds));
            if (cursor is not null) Console.WriteLine(pageSt.Line(sw.Elapsed.TotalSeconds));
            ok &= st.Failed == 0 && pageSt.Failed == 0;
        }
        return ok ? 0 : 1;
    }

    /// <summary>Counts in the database: everything accepted is stored, nothing left unscored, each comment scored once.</summary>
    public static bool Verify(Opts o, long expectComments, long expectReports)
    {
        using var c = OpenDb(o);
        long comments = Scalar(c, "SELECT count(*) FROM comments");
        long received = Scalar(c, "SELECT count(*) FROM comments WHERE status = 'received'");
        long scores = Scalar(c, "SELECT count(*) FROM scores");
        long reports = Scalar(c, "SELECT count(*) FROM reports");
        long scoredAudit = Scalar(c, "SELECT count(*) FROM audit WHERE action = 'scored'");
        long twice = Scalar(c, "SELECT count(*) FROM (SELECT comment_id FROM audit WHERE action = 'scored' GROUP BY comment_id HAVING count(*) > 1) AS t");
        long failed = Scalar(c, "SELECT count(*) FROM audit WHERE action = 'scoring_failed'");
        var checks = new List<(string, bool)>
        {
            ($"comments stored {comments}" + (expectComments < 0 ? "" : $" = accepted {expectComments}"), expectComments < 0 || comments == expectComments),
            ($"reports stored {reports} = counted {expectReports}", expectReports < 0 || reports == expectReports),
            ($"comments still 'received' {received} = 0", received == 0),
            ($"scores rows {scores} = comments {comments}", scores == comments),
            ($"'scored' audit entries {scoredAudit} = comments {comments}", scoredAudit == comments),
            ($"comments scored more than once {twice} = 0", twice == 0),
            ($"scoring failures {failed} = 0", failed == 0),
        };
        foreach (var (what, pass) in checks) Console.WriteLine($"verify: {(pass ? "OK  " : "FAIL")} {what}");
        return checks.All(x => x.Item2);
    }
}
