using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>
/// Every route gets malformed JSON, wrong types, huge and deeply nested bodies, lone surrogates and
/// control characters, 10,000-character ids and SQL metacharacters, in the body, the path and the query:
/// always a 4xx problem details, never a 500, and not one row of the database changes. The cases are
/// generated from a valid template per route (each mutation breaks exactly one thing) plus seeded
/// random garbage, so a run is the same every time.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    // The worker is off so that nothing but the requests could change the database.
    readonly TestApp app = new(new() { ["Moderation:Worker:Enabled"] = "false" });
    public void Dispose() => app.Dispose();

    const int Seed = 20_251_125;

    enum Kind { Id, Text, Enum, Bool, Number, Time, Array, Object, Map }

    /// <summary>One field of a route's body: where it is (dot path), what it is, and its length limit for text.</summary>
    sealed record Field(string Path, Kind Kind, int Max = 0);

    sealed record Route(string Method, string Url, string? Template, params Field[] Fields)
    {
        public override string ToString() => $"{Method} {Url}";
    }

    /// <summary>Every route of the HTTP API (README "HTTP API", Hosting/ModerationHost.cs), with a valid body where it takes one.</summary>
    static readonly Route[] Routes =
    [
        new("PUT", "/api/articles/{id}", """{"title":"t","body":"b","url":"https://example.org/a","publishedAt":"2026-01-01T00:00:00Z"}""",
            new("title", Kind.Text, 1000), new("body", Kind.Text, 200_000), new("url", Kind.Text), new("publishedAt", Kind.Time)),
        new("GET", "/api/articles/{id}", null),
        new("POST", "/api/articles/{id}/comments", """{"commentId":"c-new","text":"hello","authorId":"u1","authorName":"Ann","parentId":"c1","postedAt":"2026-01-01T00:00:00Z"}""",
            new("commentId", Kind.Id), new("text", Kind.Text, 20_000), new("authorId", Kind.Id), new("authorName", Kind.Text, 200),
            new("parentId", Kind.Id), new("postedAt", Kind.Time)),
        new("GET", "/api/comments/{id}", null),
        new("GET", "/api/comments/{id}/visibility", null),
        new("POST", "/api/comments/{id}/reports", """{"reason":"spam","reporterId":"r-new","details":"d"}""",
            new("reason", Kind.Enum), new("reporterId", Kind.Id), new("details", Kind.Text, 2000)),
        new("GET", "/api/queue", null),
        new("POST", "/api/queue/{id}/decision", """{"action":"approve","reasonCode":"spam","note":"n","force":false}""",
            new("action", Kind.Enum), new("reasonCode", Kind.Enum), new("note", Kind.Text, 2000), new("force", Kind.Bool)),
        new("POST", "/api/queue/{id}/undo", null),
        new("POST", "/api/queue/decisions", """{"action":"reject","reasonCode":"spam","note":"n","filter":{"reason":"profanity","articleId":"a1","score":{"field":"profanity","min":0.1,"max":0.9}},"dryRun":false,"asOf":"2020-01-01T00:00:00Z"}""",
            new("action", Kind.Enum), new("reasonCode", Kind.Enum), new("note", Kind.Text, 2000), new("filter", Kind.Object),
            new("filter.reason", Kind.Enum), new("filter.articleId", Kind.Id), new("filter.score", Kind.Object), new("filter.score.field", Kind.Enum),
            new("filter.score.min", Kind.Number), new("filter.score.max", Kind.Number), new("dryRun", Kind.Bool), new("asOf", Kind.Time)),
        new("POST", "/api/score", """{"article":{"title":"t","body":"b"},"comments":[{"text":"x"}]}""",
            new("article", Kind.Object), new("article.title", Kind.Text, 1000), new("article.body", Kind.Text, 200_000), new("comments", Kind.Array)),
        new("GET", "/api/stats", null),
        new("GET", "/api/audit", null),
        new("GET", "/api/keys", null),
        new("POST", "/api/keys", """{"name":"n","role":"moderator"}""", new("name", Kind.Text, 100), new("role", Kind.Enum)),
        new("DELETE", "/api/keys/{id}", null),
        new("GET", "/api/public/articles/{id}", null),
        new("GET", "/api/settings", null),
        new("PUT", "/api/settings", """{"reasons":{"profanity":{"flagAt":0.5,"hideAt":0.9}},"bannedTerms":["x"],"suspectTerms":["y"],"allowTerms":["z"]}""",
            new("reasons", Kind.Map), new("reasons.profanity", Kind.Object), new("reasons.profanity.flagAt", Kind.Number),
            new("bannedTerms", Kind.Array), new("suspectTerms", Kind.Array), new("allowTerms", Kind.Array)),
        new("GET", "/api/articles/{id}/settings", null),
        new("PUT", "/api/articles/{id}/settings", """{"premoderation":true,"closed":false,"reasons":{"profanity":{"flagAt":0.5,"hideAt":0.9}}}""",
            new("premoderation", Kind.Bool), new("closed", Kind.Bool), new("reasons", Kind.Map), new("reasons.profanity.hideAt", Kind.Number)),
        new("GET", "/api/authors/{id}", null),
        new("GET", "/api/webhooks", null),
        new("POST", "/api/webhooks", """{"url":"http://127.0.0.1:9/hook","events":["comment.flagged"]}""", new("url", Kind.Text), new("events", Kind.Array)),
        new("DELETE", "/api/webhooks/{id}", null),
        new("GET", "/api/webhooks/deliveries", null),
        new("GET", "/api/sources", null),
    ];

    static string Str(string raw) => "\"" + raw + "\"";

    static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    static string DeepObject(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    static readonly string TenThousand = new('x', 10_000);

    /// <summary>SQL metacharacters, each with a space or a character no id allows, so they are invalid wherever they go.</summary>
    static readonly string[] SqlPayloads =
    [
        "x' OR '1'='1", "1; DROP TABLE comments; --", "a1\\\" OR \\\"\\\"=\\\"", "') UNION SELECT key_hash, 1 FROM api_keys --", "%' --", "x`; DELETE FROM audit",
    ];

    /// <summary>Raw JSON values that are wrong for a field of <paramref name="kind"/> (text limit <paramref name="max"/>).</summary>
    static IEnumerable<string> BadValues(Kind kind, int max)
    {
        // Wrong types and nesting beyond the reader's depth limit, for every kind.
        string[] wrongShapes = ["[[]]", Deep(200), DeepObject(200)];
        foreach (var v in wrongShapes) yield return v;
        switch (kind)
        {
            case Kind.Id or Kind.Text or Kind.Enum:
                yield return "5";
                yield return "true";
                yield return "{}";
                yield return "[\"a\"]";
                yield return Str("nul\\u0000byte");
                yield return Str("bell\\u0007");
                yield return Str("esc\\u001b[31m");
                yield return Str("del\\u007f");
                yield return Str("lone \\ud800 high");
                yield return Str("lone \\udc00 low");
                yield return Str("\\udfff\\ud800");
                if (kind != Kind.Text)
                {
                    yield return Str("");
                    yield return Str(TenThousand + " ");
                    foreach (var sql in SqlPayloads) yield return Str(sql);
                }
                if (kind == Kind.Id)
                {
                    yield return Str(TenThousand);
                    yield return Str("caf\u00e9");
                    yield return Str("zero\\u200bwidth");
                }
                if (kind == Kind.Enum) yield return Str("SPAM");
                if (kind == Kind.Text && max > 0) yield return Str(new string('t', max + 1));
                break;
            case Kind.Bool:
                yield return Str("yes");
                yield return "1";
                yield return "null";
                yield return "{}";
                break;
            case Kind.Number:
                yield return Str("abc");
                yield return "true";
                yield return "-1";
                yield return "2.5";
                yield return "1e400";
                yield return "{}";
                yield return Str("NaN");
                break;
            case Kind.Time:
                yield return Str("yesterday");
                yield return Str("2026-13-45T99:99:99Z");
                yield return Str("' OR 1=1 --");
                yield return "5";
                yield return "{}";
                break;
            case Kind.Array:
                yield return "{}";
                yield return Str("x");
                yield return "5";
                yield return "[5]";
                yield return "[[\"nested\"]]";
                yield return "[" + string.Join(",", Enumerable.Repeat("{\"text\":\"x\"}", 101)) + "]";
                yield return "[" + string.Join(",", Enumerable.Range(0, 5001).Select(i => $"\"t{i}\"")) + "]";
                yield return "[" + Str("lone \\ud800") + "]";
                break;
            case Kind.Object:
                yield return "[]";
                yield return Str("x");
                yield return "5";
                break;
            case Kind.Map:
                yield return "[]";
                yield return Str("x");
                yield return "{\"x' OR '1'='1\":{\"flagAt\":0.5,\"hideAt\":0.9}}";
                yield return "{\"profanity\":5}";
                break;
        }
    }

    /// <summary>The template with the value at <paramref name="path"/> replaced by raw JSON.</summary>
    static string Replace(string template, string path, string rawValue)
    {
        const string marker = "\u0001MUTATION\u0001";
        var root = System.Text.Json.Nodes.JsonNode.Parse(template)!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(root, (node, part) => node[part]!);
        parent[parts[^1]] = marker;
        return root.ToJsonString().Replace(JsonSerializer.Serialize(marker), rawValue);
    }

    /// <summary>Whole bodies that are no valid request for any route.</summary>
    static IEnumerable<string> BadBodies(Random random)
    {
        yield return "{";
        yield return "}";
        yield return "{\"a\":";
        yield return "{'single':'quotes'}";
        yield return "{\"trailing\":1,}";
        yield return "[]";
        yield return "5";
        yield return "\"a string\"";
        yield return "true";
        yield return "null";
        yield return "";
        yield return "\u00ef\u00bb\u00bf{";
        yield return "{\"x\":\"lone \\ud800\"";
        yield return Deep(5000);
        yield return DeepObject(5000);
        yield return "'; DROP TABLE comments; --";
        yield return "{\"a\":1} {\"b\":2}";
        // Seeded random token soup; anything that happens to be valid JSON is left out.
        string[] tokens = ["{", "}", "[", "]", ":", ",", "\"k\"", "\"\\ud800\"", "1", "-", "e", "null", "tru", "\\", "'", ";", "--", "\u0000", "\u001f", "\ud800", "\uffff"];
        for (var i = 0; i < 40; i++)
        {
            var soup = string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => tokens[random.Next(tokens.Length)]));
            if (!IsJson(soup)) yield return soup;
        }
    }

    static bool IsJson(string text)
    {
        // As the server sees it: the UTF-8 the client sends (a raw lone surrogate becomes U+FFFD on the way).
        try { using var _ = JsonDocument.Parse(Encoding.UTF8.GetBytes(text)); return true; }
        catch (JsonException) { return false; }
    }

    /// <summary>Ids for the {id} segment that no route accepts (escaped for the URL). %00 is refused by Kestrel before the app (and by the test client).</summary>
    static readonly string[] BadPathIds =
    [
        new string('a', 10_000), "a%01b", "%E2%80%8B", "x'%20OR%20'1'%3D'1", "1%3B%20DROP%20TABLE%20comments%3B%20--",
        "caf%C3%A9", "%20", "a%7Fb", "a%20b",
    ];

    /// <summary>Query strings that GET routes refuse.</summary>
    static readonly (string Url, string Query)[] BadQueries =
    [
        ("/api/queue", "state=open"), ("/api/queue", "state=pending'%20OR%20'1'%3D'1"), ("/api/queue", "sort=priority%3B%20DROP%20TABLE%20queue"),
        ("/api/queue", "reason=profanity'--"), ("/api/queue", "articleId=a1'%20OR%20'1'%3D'1"), ("/api/queue", "articleId=" + new string('a', 10_000)),
        ("/api/queue", "limit=0"), ("/api/queue", "limit=-1"), ("/api/queue", "limit=201"), ("/api/queue", "limit=1e3"), ("/api/queue", "limit=99999999999999999999"),
        ("/api/queue", "limit=1%3B--"), ("/api/queue", "cursor=%27%20OR%201%3D1"), ("/api/queue", "cursor=" + new string('A', 10_000)),
        ("/api/queue", "cursor=%ED%A0%80"), ("/api/queue", "state=%00"),
        ("/api/audit", "limit=0"), ("/api/audit", "limit=abc"), ("/api/audit", "before=1%20OR%201%3D1"), ("/api/audit", "before=-5"),
        ("/api/audit", "actor=a%20b"), ("/api/audit", "actor=" + new string('a', 10_000)), ("/api/audit", "actor=%01"),
        ("/api/stats", "days=0"), ("/api/stats", "days=367"), ("/api/stats", "days=1%3BDROP"), ("/api/stats", "days=%ED%A0%80"),
    ];

    /// <summary>One request; <paramref name="ReportOk"/>: an import answers garbage lines with 200 and a report of rejected lines.</summary>
    sealed record Case(string Method, string Url, HttpContent? Content, string What, bool ReportOk = false);

    static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>A path id that exists for the route, so only the body is at fault.</summary>
    static string Target(Route route) => route.Url.Contains("/keys/") ? "key-1" : route.Url.Contains("/webhooks/") ? "wh-1" : route.Url.StartsWith("/api/articles") || route.Url.StartsWith("/api/public") ? "a1" : "c1";

    static IEnumerable<Case> Cases()
    {
        var random = new Random(Seed);
        foreach (var route in Routes)
        {
            var url = route.Url.Replace("{id}", Target(route));
            if (route.Template is { } template)
            {
                foreach (var field in route.Fields)
                    foreach (var value in BadValues(field.Kind, field.Max))
                        yield return new(route.Method, url, Json(Replace(template, field.Path, value)), $"{field.Path} = {Trim(value)}");
                foreach (var body in BadBodies(random))
                    yield return new(route.Method, url, Json(body), $"body {Trim(body)}");
                yield return new(route.Method, url, new StringContent(template, Encoding.UTF8, "text/plain"), "text/plain");
                yield return new(route.Method, url, new ByteArrayContent(RandomNumberGenerator.GetBytes(0)) { Headers = { ContentType = new("application/json") } }, "empty body");
                var bytes = new byte[512];
                random.NextBytes(bytes);
                yield return new(route.Method, url, new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } }, "random bytes");
                yield return new(route.Method, url, Json("{\"x\":\"" + new string('x', 1_100_000) + "\"}"), "body over 1 MB");
            }
            if (route.Url.Contains("{id}"))
                foreach (var id in BadPathIds)
                    yield return new(route.Method, route.Url.Replace("{id}", id), route.Template is null ? null : Json(route.Template), $"path id {Trim(id)}");
        }
        foreach (var (url, query) in BadQueries) yield return new("GET", url + "?" + query, null, $"query {Trim(query)}");

        // Imports (POST /api/imports/{ndjson|wxr}?idPrefix=): a bad format or prefix is refused; a file of garbage is
        // read line by line and answered with a report of what was rejected, and must add nothing.
        foreach (var format in new[] { "csv", new string('n', 10_000), "ndjson'%20OR%20'1'%3D'1", "NDJSON%01", "%E2%80%8B" })
            yield return new("POST", "/api/imports/" + format, Json("{}"), $"import format {Trim(format)}");
        foreach (var prefix in new[] { new string('p', 33), "a%20b", "%01", "x'%20OR%201%3D1", "%E2%80%8B" })
            yield return new("POST", "/api/imports/ndjson?idPrefix=" + prefix, Json("{}"), $"import idPrefix {Trim(prefix)}");
        var garbage = BadBodies(new Random(Seed + 1)).ToList();
        garbage.Add(string.Join("\n", BadValues(Kind.Id, 0).Select(v => $"{{\"articleId\":\"a1\",\"commentId\":{v},\"text\":\"x\"}}")));
        garbage.Add(string.Join("\n", BadValues(Kind.Text, 20_000).Select(v => $"{{\"articleId\":\"a1\",\"commentId\":\"imp\",\"text\":{v}}}")));
        foreach (var format in new[] { "ndjson", "wxr" })
            foreach (var body in garbage.Append("<rss><channel><item><wp:comment>&bogus;<![CDATA[").Append("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><rss>&e;</rss>"))
                yield return new("POST", $"/api/imports/{format}", new StringContent(body, Encoding.UTF8, format == "wxr" ? "application/xml" : "application/x-ndjson"),
                    $"import {format} body {Trim(body)}", ReportOk: true);
    }

    static string Trim(string s) => s.Length <= 60 ? s : s[..60] + $"…({s.Length} chars)";

    [Fact]
    public async Task Every_route_answers_bad_input_with_a_4xx_problem_and_changes_nothing()
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostComment("a1", "c1", "Bike lanes are fine.")).StatusCode);
        // A report makes the per-installation secret that salts reader addresses, so later refusals cannot be the first to write it.
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client(key: null).PostAsJsonAsync("/api/comments/c1/reports", new { reason = "spam" })).StatusCode);
        await app.KeyFor("moderator");
        var before = await Snapshot();

        var failures = new List<string>();
        var count = 0;
        foreach (var c in Cases())
        {
            count++;
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Url) { Content = c.Content };
            using var response = await admin.SendAsync(request);
            var status = (int)response.StatusCode;
            var type = response.Content.Headers.ContentType?.MediaType;
            if (c.ReportOk && status == 200) continue;
            if (status is < 400 or > 499 || type != "application/problem+json")
                failures.Add($"{c.Method} {Trim(c.Url)} with {c.What}: {status} {type} {Trim(await response.Content.ReadAsStringAsync())}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {count} bad requests were not a 4xx problem:\n" + string.Join("\n", failures.Take(30)));
        Assert.True(count > 1000, $"only {count} cases");
        var after = await Snapshot();
        Assert.Equal(before, after);
    }

    /// <summary>Each table's row count and a hash of all its rows.</summary>
    async Task<Dictionary<string, string>> Snapshot()
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var (table, rows) in await StoreContents.ReadAsync(app))
            snapshot[table] = $"{rows.Count} rows, {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows))))}";
        return snapshot;
    }

    /// <summary>
    /// SQL metacharacters where they are legitimate (free text, and ids, which may hold any printable ASCII but
    /// a space) are data: stored and returned exactly, and they never widen a query.
    /// </summary>
    [Fact]
    public async Task Sql_metacharacters_in_valid_fields_are_stored_verbatim_and_never_widen_a_query()
    {
        var admin = app.Client();
        await admin.PutArticle("a1");
        await admin.PostComment("a1", "c1", "Bike lanes are fine.");
        const string id = "c2'OR'1'='1;--";
        const string text = "'); DROP TABLE comments; -- \" OR \"\"=\" `; DELETE FROM audit; /* */ %_ \\";
        var posted = await admin.PostAsJsonAsync("/api/articles/a1/comments", new { commentId = id, text, authorName = text[..50], authorId = "u'--" });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var comment = await admin.GetJson($"/api/comments/{Uri.EscapeDataString(id)}");
        Assert.Equal(id, comment.GetProperty("commentId").GetString());
        Assert.Equal(text, comment.GetProperty("text").GetString());
        Assert.Equal(text[..50], comment.GetProperty("authorName").GetString());

        var report = await app.Client(key: null).PostAsJsonAsync($"/api/comments/{Uri.EscapeDataString(id)}/reports", new { reason = "spam", reporterId = "r'OR'1'='1", details = text });
        Assert.Equal(HttpStatusCode.Accepted, report.StatusCode);
        Assert.Equal(1, (await admin.GetJson($"/api/comments/{Uri.EscapeDataString(id)}")).GetProperty("reports").GetProperty("count").GetInt32());

        // Look-ups with injected ids match nothing.
        await (await admin.GetAsync("/api/comments/c1'OR'1'='1")).AssertProblem(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/articles/a1'--")).AssertProblem(HttpStatusCode.NotFound);
        var queue = await admin.GetJson("/api/queue?state=pending&articleId=" + Uri.EscapeDataString("a1'OR'1'='1"));
        Assert.Empty(queue.GetProperty("items").EnumerateArray());
        var audit = await admin.GetJson("/api/audit?actor=" + Uri.EscapeDataString("x'OR'1'='1"));
        Assert.Empty(audit.GetProperty("items").EnumerateArray());
        await (await admin.DeleteAsync("/api/keys/" + Uri.EscapeDataString("k'OR'1'='1"))).AssertProblem(HttpStatusCode.NotFound);

        // Everything is still there.
        Assert.Equal(2, await app.ScalarAsync("SELECT count(*) FROM comments"));
        Assert.True(await app.ScalarAsync("SELECT count(*) FROM audit") >= 2);
    }
}
