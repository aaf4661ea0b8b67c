using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Moderation.Reliability.Tests;

/// <summary><c>dotnet run --project src/Moderation.Cli -- backup FILE</c> against the database of a running service (docs/OPERATIONS.md, "Backups").</summary>
public sealed class CliBackupTests : IDisposable
{
    const string AdminKey = "reliability-admin-key-0123456789";
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task The_cli_copies_a_running_services_database_into_a_complete_owner_only_file()
    {
        var database = folder.File("moderation.db");
        using var service = ServiceProcess.Start(folder.Path, new Dictionary<string, string>
        {
            ["Moderation:Database"] = database, ["Moderation:Auth:AdminKey"] = AdminKey, ["Moderation:Relevance:Embeddings"] = "false",
        });
        await service.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var client = service.Client(AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsJsonAsync("/api/articles/a1", new { title = "Bike lanes", body = "The council voted for bike lanes." })).StatusCode);
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/articles/a1/comments", new { commentId = $"c{i}", text = $"Comment {i} on the lanes." })).StatusCode);

        var target = folder.File("copy/backup.db");
        var (exit, output) = await RunCliAsync("backup", target, "--database", database);
        Assert.True(exit == 0, output);
        Assert.Contains("bytes", output);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        await using var copy = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=false");
        Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Equal(20, await copy.ExecuteScalarAsync<long>("SELECT count(*) FROM comments"));

        var (again, refused) = await RunCliAsync("backup", target, "--database", database);
        Assert.Equal(1, again);   // never overwrites
        Assert.Contains("exists", refused);
    }

    static async Task<(int Exit, string Output)> RunCliAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Moderation.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
