using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Moderation.Api.Tests.Infrastructure;

namespace Moderation.Api.Tests.Operations;

/// <summary>The address-hashing secret lives beside the database, not in it, rotates, and what holds readers' data is owner-only.</summary>
public sealed class PseudonymTests
{
    static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_secret_sits_in_an_owner_only_key_file_not_in_the_database_and_rotates_on_schedule()
    {
        var clock = new FakeTimeProvider(Start);
        using var app = new TestApp(new() { ["Moderation:Pseudonyms:RotateEvery"] = "30.00:00:00", ["Moderation:Worker:Enabled"] = "false" }, clock);
        var client = app.Client();
        await client.PutArticle("a1");
        foreach (var id in new[] { "c1", "c2", "c3" }) await client.PostComment("a1", id, $"Comment {id} on the lanes.");
        var reader = app.Reader("198.51.100.40");

        await Report(reader, "c1");
        await Report(reader, "c2");
        var keyFile = Path.Combine(app.Folder, "pseudonym.key");
        var secret = File.ReadAllLines(keyFile)[1];
        var (k1, k2) = (await ReporterKey(app, "c1"), await ReporterKey(app, "c2"));
        Assert.Equal(k1, k2);   // one reader, one pseudonym while the secret lasts
        Assert.StartsWith("ip:", k1);
        if (!OperatingSystem.IsWindows()) Assert.Equal(Moderation.Storage.OwnerOnly.File, File.GetUnixFileMode(keyFile));
        Assert.Empty(await StoreContents.FoundInTablesAsync(app, secret));
        if (!TestStores.OnPostgres) Assert.DoesNotContain(secret, RawText(app.DatabasePath));   // nor anywhere in SQLite's file and log
        Assert.Equal(0, await app.ScalarAsync("SELECT count(*) FROM meta"));

        clock.Advance(TimeSpan.FromDays(31));
        await Report(reader, "c3");
        Assert.NotEqual(secret, File.ReadAllLines(keyFile)[1]);
        Assert.NotEqual(k1, await ReporterKey(app, "c3"));
    }

    [Fact]
    public async Task A_secret_given_as_a_setting_is_used_and_no_key_file_is_written()
    {
        using var app = new TestApp(new() { ["Moderation:Pseudonyms:Secret"] = new string('s', 64), ["Moderation:Worker:Enabled"] = "false" });
        await app.Client().PutArticle("a1");
        await app.Client().PostComment("a1", "c1", "A comment.");
        await Report(app.Reader("198.51.100.41"), "c1");
        Assert.False(File.Exists(Path.Combine(app.Folder, "pseudonym.key")));
    }

    [SqliteFact]
    public async Task A_new_database_folder_file_log_and_backups_are_created_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(Path.GetTempPath(), "moderation-tests", Guid.NewGuid().ToString("N"), "data");
        try
        {
            using var app = new TestApp(new() { ["Moderation:Database"] = Path.Combine(folder, "moderation.db") });
            await app.Client().PutArticle("a1");
            Assert.Equal(HttpStatusCode.Created, (await app.Client().PostAsync("/api/backups", null)).StatusCode);

            Assert.Equal(Moderation.Storage.OwnerOnly.Folder, File.GetUnixFileMode(folder));
            foreach (var file in new[] { "moderation.db", "moderation.db-wal", "moderation.db-shm" })
                Assert.Equal(Moderation.Storage.OwnerOnly.File, File.GetUnixFileMode(Path.Combine(folder, file)));
            Assert.Equal(Moderation.Storage.OwnerOnly.Folder, File.GetUnixFileMode(Path.Combine(folder, "backups")));
        }
        finally { try { Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true); } catch (IOException) { } }
    }

    static async Task Report(HttpClient reader, string commentId) =>
        Assert.Equal(HttpStatusCode.Accepted, (await reader.PostAsJsonAsync($"/api/comments/{commentId}/reports", new { reason = "spam" })).StatusCode);

    static async Task<string> ReporterKey(TestApp app, string commentId)
    {
        await using var c = await app.OpenStoreAsync();
        return await c.ExecuteScalarAsync<string>("SELECT reporter_key FROM reports WHERE comment_id = @id", new { id = commentId }) ?? "";
    }

    /// <summary>The database file and its log as Latin-1 text, for a raw search.</summary>
    static string RawText(string database) => string.Concat(new[] { database, database + "-wal" }.Where(File.Exists).Select(f =>
    {
        using var s = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var m = new MemoryStream();
        s.CopyTo(m);
        return Encoding.Latin1.GetString(m.ToArray());
    }));
}
