using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Moderation.Api.Tests.Infrastructure;

/// <summary>
/// The real service over a real SQLite file in a fresh temporary folder: one app per test,
/// the worker running in-process as in production.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789";
    readonly Dictionary<string, string?> settings;

    /// <param name="clock">A fake clock the whole service (worker, retention, readiness) runs on, for tests that move time.</param>
    public TestApp(Dictionary<string, string?>? overrides = null, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null)
    {
        Clock = clock;
        Folder = Path.Combine(Path.GetTempPath(), "moderation-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        settings = new Dictionary<string, string?>(Moderation.Tests.TestStores.ServiceSettings(Folder))
        {
            ["Moderation:Auth:AdminKey"] = AdminKey,
            ["Moderation:Worker:PollInterval"] = "00:00:00.200",
            ["Moderation:Worker:RetryDelay"] = "00:00:00.050",
            ["Moderation:Reports:PerMinute"] = "1000",
        };
        foreach (var (k, v) in overrides ?? []) settings[k] = v;
    }

    public string Folder { get; }

    public Microsoft.Extensions.Time.Testing.FakeTimeProvider? Clock { get; }

    /// <summary>The SQLite file (on PostgreSQL only its folder is used, for the key files): for tests of SQLite itself.</summary>
    public string DatabasePath => settings["Moderation:Database"]!;

    /// <summary>
    /// A connection to this app's own store, whichever engine it runs on, for a test that sets up or checks rows
    /// (Dapper works on both; the SQL must be valid on SQLite and PostgreSQL).
    /// </summary>
    public Task<DbConnection> OpenStoreAsync() => Services.GetRequiredService<Moderation.Storage.Database>().OpenAsync();

    /// <summary>One number from the store: <c>count(*)</c> and the like.</summary>
    public async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var c = await OpenStoreAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        // Command-line style settings win over appsettings, as they do for `dotnet run -- --Key=value`.
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IStartupFilter>(new ClientAddressFilter(answers));
            if (Clock is not null) s.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>"METHOD /route/{pattern} STATUS" of every answer this app gave (see <see cref="DocumentedAnswers"/>).</summary>
    readonly ConcurrentDictionary<string, byte> answers = new();

    public const string ClientAddressHeader = "X-Test-Client-Address";

    /// <summary>
    /// The in-memory test server has no client address; this lets a test speak as readers on
    /// different machines (the header is honoured only in tests, by this filter).
    /// </summary>
    sealed class ClientAddressFilter(ConcurrentDictionary<string, byte> answers) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (System.Net.IPAddress.TryParse(context.Request.Headers[ClientAddressHeader], out var address))
                    context.Connection.RemoteIpAddress = address;
                await nextMiddleware();
                if (DocumentedAnswers.Key(context) is { } answer) answers.TryAdd(answer, 0);
            });
            next(app);
        };
    }

    /// <summary>A client without a key, as a reader at <paramref name="address"/>.</summary>
    public HttpClient Reader(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ClientAddressHeader, address);
        return client;
    }

    public HttpClient Client(string? key = AdminKey)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Creates a key with <paramref name="role"/> through the admin API and returns it.</summary>
    public async Task<string> KeyFor(string role)
    {
        var response = await Client().PostAsJsonAsync("/api/keys", new { name = role + " key", role });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<CreatedKey>();
        return body!.Key;
    }

    sealed record CreatedKey(string Key);

    /// <summary>
    /// Every answer this test saw must be in the OpenAPI document (issue 19): a route that answers a status its
    /// document does not list fails the test that saw it, with the declaration to add.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        var undocumented = disposing && !answers.IsEmpty ? DocumentedAnswers.Missing(this, answers.Keys) : [];
        base.Dispose(disposing);
        Moderation.Tests.TestStores.DropService(settings);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        if (undocumented.Count > 0)
            throw new Xunit.Sdk.XunitException("Answers missing from /openapi/v1.json (declare them with .Produces…/.ProducesProblem on the route):\n  "
                + string.Join("\n  ", undocumented));
    }
}
