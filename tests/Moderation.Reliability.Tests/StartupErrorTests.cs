namespace Moderation.Reliability.Tests;

/// <summary>
/// A database the service cannot use stops it at start with one clear line naming the path and a
/// non-zero exit code: not an unhandled-exception abort, and not a service that runs and fails later.
/// </summary>
public sealed class StartupErrorTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    async Task<(int ExitCode, string Output)> StartWith(string database)
    {
        using var service = ServiceProcess.Start(folder.Path, new Dictionary<string, string>
        {
            ["Moderation:Database"] = database,
            ["Moderation:Auth:AdminKey"] = "startup-admin-key-0123456789",
            ["Moderation:Relevance:Embeddings"] = "false",
        });
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(20));
        return (exitCode, service.Output);
    }

    static void AssertClearFailure(int exitCode, string output, string path)
    {
        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1:\n{output}");
        Assert.Contains("Moderation service cannot start", output);
        Assert.Contains($"'{path}'", output);
        Assert.Contains("Moderation:Database", output);
        // One line for the operator, not a crash dump.
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task A_database_path_under_a_regular_file_is_refused_at_start_naming_the_path()
    {
        var file = folder.File("not-a-directory");
        File.WriteAllText(file, "a file where a directory should be");
        var database = Path.Combine(file, "moderation.db");
        var (exitCode, output) = await StartWith(database);
        AssertClearFailure(exitCode, output, database);
    }

    [Fact]
    public async Task A_database_path_in_an_unwritable_place_is_refused_at_start_naming_the_path()
    {
        // /proc refuses new files even to root; elsewhere use a directory without write permission.
        var database = Directory.Exists("/proc/self") ? $"/proc/moderation-{Guid.NewGuid():N}.db" : ReadOnlyDirectoryDatabase();
        var (exitCode, output) = await StartWith(database);
        AssertClearFailure(exitCode, output, database);
    }

    string ReadOnlyDirectoryDatabase()
    {
        var directory = folder.File("read-only");
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return Path.Combine(directory, "moderation.db");
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_at_start_naming_the_path()
    {
        var database = folder.File("corrupt.db");
        File.WriteAllBytes(database, Enumerable.Range(0, 8192).Select(i => (byte)(i * 31 % 251)).ToArray());
        var (exitCode, output) = await StartWith(database);
        AssertClearFailure(exitCode, output, database);
    }
}
