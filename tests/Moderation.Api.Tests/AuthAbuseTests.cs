using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests;

/// <summary>Guessing keys is throttled per address, and over the allowance even a right key gets 429; no key ever reaches the logs.</summary>
public sealed class AuthAbuseTests
{
    static HttpClient As(HttpClient client, string address, string? key)
    {
        client.DefaultRequestHeaders.Add(TestApp.ClientAddressHeader, address);
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task Over_the_allowance_an_address_gets_429_before_its_key_is_checked_so_a_right_guess_looks_like_a_wrong_one()
    {
        using var app = new TestApp(new() { ["Moderation:Auth:FailedAttemptsPerMinute"] = "5" });
        var guesser = As(app.CreateClient(), "198.51.100.7", "mk_guess");
        var moderatorKey = await app.KeyFor("moderator");
        var colleague = As(app.CreateClient(), "198.51.100.7", moderatorKey);   // same address (an office NAT), real key

        // Within the allowance, wrong keys are 401 and a real key is served: only failures use it up.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/api/queue")).StatusCode);
            await (await guesser.GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
        }
        var refused = await guesser.GetAsync("/api/queue");
        await refused.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 should say when to come back");

        // Over it, the guesser who hits the right key learns nothing: the answer is the same 429 as for a wrong one.
        var rightGuess = await As(app.CreateClient(), "198.51.100.7", TestApp.AdminKey).GetAsync("/api/keys");
        await rightGuess.AssertProblem(HttpStatusCode.TooManyRequests);
        await (await colleague.GetAsync("/api/queue")).AssertProblem(HttpStatusCode.TooManyRequests);
        // Malformed headers too.
        await (await As(app.CreateClient(), "198.51.100.7", null).SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/queue")
        {
            Headers = { { "Authorization", "Basic dXNlcjpwYXNz" } },
        })).AssertProblem(HttpStatusCode.TooManyRequests);

        // Other addresses have their own allowance, and reader routes need no key at all.
        Assert.Equal(HttpStatusCode.OK, (await As(app.CreateClient(), "198.51.100.8", moderatorKey).GetAsync("/api/queue")).StatusCode);
        await (await As(app.CreateClient(), "198.51.100.8", "mk_guess").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await As(app.CreateClient(), "198.51.100.7", null).GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_default_allowance_is_twenty_failures_a_minute()
    {
        using var app = new TestApp();
        var guesser = As(app.CreateClient(), "198.51.100.9", "mk_guess");
        for (var i = 0; i < 20; i++) await (await guesser.GetAsync("/api/audit")).AssertProblem(HttpStatusCode.Unauthorized);
        await (await guesser.GetAsync("/api/audit")).AssertProblem(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Every log line at every level, with its exception and scopes, as text.</summary>
    sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        public readonly ConcurrentQueue<string> Lines = new();
        IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;
        public void Dispose() { }

        sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes.Push(state);
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{logLevel} {category}: {formatter(state, exception)} {exception} {state}";
                var scopeText = new List<string>();
                provider.scopes.ForEachScope((scope, l) => l.Add(scope?.ToString() ?? ""), scopeText);
                provider.Lines.Enqueue(line + " " + string.Join(" | ", scopeText));
            }
        }
    }

    [Fact]
    public async Task Keys_never_appear_in_the_logs_not_even_on_failures()
    {
        var logs = new CapturingLoggerProvider();
        using var app = new TestApp(new() { ["Moderation:Auth:AdminKey"] = null, ["Moderation:Auth:FailedAttemptsPerMinute"] = "3" });
        using var factory = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs)));
        HttpClient Client(string? key, string address = "192.0.2.1") => As(factory.CreateClient(), address, key);

        _ = Client(null);   // starts the service, which generates the bootstrap key into its file
        var bootstrap = File.ReadAllText(Path.Combine(app.Folder, "admin.key")).Trim();
        var admin = Client(bootstrap);
        var created = await (await admin.PostAsJsonAsync("/api/keys", new { name = "night shift", role = "moderator" })).Json();
        var moderator = created.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Client(moderator).GetAsync("/api/queue")).StatusCode);
        // Failures of every kind: near misses of both keys, a revoked key, a malformed header, throttled guesses, a forbidden role.
        var nearMiss = moderator[..^1] + (moderator[^1] == 'a' ? 'b' : 'a');
        foreach (var wrong in new[] { nearMiss, bootstrap + "x", bootstrap.ToUpperInvariant() })
            await (await Client(wrong).GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
        await (await Client(bootstrap + "y").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.TooManyRequests);
        await (await Client(moderator, "192.0.2.3").GetAsync("/api/keys")).AssertProblem(HttpStatusCode.Forbidden);
        admin = Client(bootstrap, "192.0.2.3");   // 192.0.2.1 is over its allowance now
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/keys/{created.GetProperty("keyId").GetString()}")).StatusCode);
        await (await Client(moderator, "192.0.2.2").GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);
        var basic = factory.CreateClient();
        basic.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Token " + bootstrap);
        await (await basic.GetAsync("/api/queue")).AssertProblem(HttpStatusCode.Unauthorized);

        var lines = logs.Lines.ToArray();
        Assert.NotEmpty(lines);
        Assert.Contains(lines, l => l.Contains("admin.key"));   // the file's path is logged...
        foreach (var secret in new[] { bootstrap, moderator, nearMiss, bootstrap[3..20], moderator[3..20] })
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));   // ...never a key, nor a part of one
    }
}
