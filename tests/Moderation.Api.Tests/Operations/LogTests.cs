using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Operations;

/// <summary>Logs carry ids as fields; at Information and above never a comment's text, an author's name, a reader's address or details, or a key.</summary>
public sealed class LogTests
{
    sealed record Entry(LogLevel Level, string Category, string Message, IReadOnlyDictionary<string, object?> Fields);

    sealed class Capture : ILoggerProvider
    {
        public readonly ConcurrentQueue<Entry> Entries = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        sealed class Logger(Capture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(p => p.Key, p => p.Value) : new();
                owner.Entries.Enqueue(new Entry(level, category, formatter(state, exception) + " " + exception, fields));
            }
        }
    }

    [Fact]
    public async Task A_comments_life_logs_its_ids_as_fields_and_no_text_name_address_details_or_key_at_information()
    {
        var capture = new Capture();
        using var app = new TestApp(new()
        {
            ["Logging:LogLevel:Moderation"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",   // the framework's request logs are checked too
        });
        using var factory = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(capture)));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestApp.AdminKey);
        const string Text = "Xenophora lanes are a damn disgrace to this town.";
        const string Author = "Ursula Quillfeather";
        const string Details = "Ghostwritten report details.";

        await client.PutArticle("a1");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/articles/a1/comments",
            new { commentId = "c1", text = Text, authorId = "u-1", authorName = Author })).StatusCode);
        await client.WaitScored("c1");
        var reader = factory.CreateClient();
        reader.DefaultRequestHeaders.Add(TestApp.ClientAddressHeader, "203.0.113.77");
        Assert.Equal(HttpStatusCode.Accepted, (await reader.PostAsJsonAsync("/api/comments/c1/reports", new { reason = "abusive", details = Details })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/queue/c1/decision", new { action = "reject", note = "Quoting: " + Text })).StatusCode);
        // On PostgreSQL backups are pg_dump's job: the route answers 409 (BackupTests).
        Assert.Equal(TestStores.OnPostgres ? HttpStatusCode.Conflict : HttpStatusCode.Created, (await client.PostAsync("/api/backups", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("/api/authors/u-1")).StatusCode);

        var entries = capture.Entries.ToArray();
        var scored = Assert.Single(entries, e => e.Message.StartsWith("Comment c1 on article a1 scored", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, scored.Level);
        Assert.Equal("c1", scored.Fields["CommentId"]);
        Assert.Equal("a1", scored.Fields["ArticleId"]);
        var decided = Assert.Single(entries, e => e.Category == "Moderation.Decisions");
        Assert.Equal(LogLevel.Information, decided.Level);
        Assert.Equal("c1", decided.Fields["CommentId"]);
        Assert.Contains(entries, e => e.Message.StartsWith("Erased an author's data: 1 comments", StringComparison.Ordinal));

        var visible = entries.Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.Contains(visible, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));   // the framework did log requests
        foreach (var secret in new[] { Text, "Xenophora", Author, Details, "203.0.113.77", TestApp.AdminKey })
            Assert.DoesNotContain(visible, e => Mentions(e, secret));
        // The erased author's id stays out of our own lines; the framework's request lines show paths, ids included
        // (off by default: Microsoft.AspNetCore logs at Warning, docs/OPERATIONS.md "Logs").
        Assert.DoesNotContain(visible, e => !e.Category.StartsWith("Microsoft.", StringComparison.Ordinal) && Mentions(e, "u-1"));
    }

    static bool Mentions(Entry e, string secret) => e.Message.Contains(secret, StringComparison.Ordinal) ||
        e.Fields.Values.Any(v => v?.ToString()?.Contains(secret, StringComparison.Ordinal) == true);
}
