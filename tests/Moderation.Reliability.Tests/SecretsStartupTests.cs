namespace Moderation.Reliability.Tests;

/// <summary>
/// An admin key the service cannot vouch for, or a proxy setting it cannot read, stops the real process at
/// start: exit code 1 and one line saying what to fix, before it listens.
/// </summary>
public sealed class SecretsStartupTests : IDisposable
{
    readonly TempFolder folder = new();
    public void Dispose() => folder.Dispose();

    string Database => folder.File("moderation.db");
    string KeyFile => folder.File("admin.key");

    async Task<string> RefusedStart(Dictionary<string, string> settings)
    {
        settings["Moderation:Database"] = Database;
        settings["Moderation:Relevance:Embeddings"] = "false";
        using var service = ServiceProcess.Start(folder.Path, settings);
        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(20));
        var output = service.Output;
        Assert.True(exitCode == 1, $"exit code {exitCode}, expected 1:\n{output}");
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            l => l.StartsWith("Moderation service cannot start", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
        return line;
    }

    void WriteKeyFile(string content, UnixFileMode mode)
    {
        File.WriteAllText(KeyFile, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(KeyFile, mode);
    }

    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_configured_admin_key_shorter_than_24_characters_is_refused()
    {
        var line = await RefusedStart(new() { ["Moderation:Auth:AdminKey"] = "hunter2-but-longer-22ch" });
        Assert.Contains("Moderation:Auth:AdminKey is 23 characters; it must be at least 24", line);
        Assert.DoesNotContain("hunter2", line);
    }

    [Fact]
    public async Task An_empty_admin_key_file_is_refused_naming_the_file()
    {
        WriteKeyFile("  \n", OwnerOnly);
        var line = await RefusedStart([]);
        Assert.Contains($"'{KeyFile}' is empty", line);
    }

    [Fact]
    public async Task An_admin_key_file_other_users_may_read_is_refused_with_the_fix()
    {
        WriteKeyFile("mk_" + new string('k', 40), OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var line = await RefusedStart([]);
        Assert.Contains($"'{KeyFile}' may be read or changed by other users (mode 644)", line);
        Assert.Contains($"chmod 600 '{KeyFile}'", line);
        Assert.DoesNotContain("kkkk", line);
    }

    [Fact]
    public async Task A_trusted_proxy_that_is_not_an_address_is_refused_naming_the_key()
    {
        var line = await RefusedStart(new() { ["Moderation:Auth:AdminKey"] = "startup-admin-key-0123456789", ["Moderation:Network:KnownNetworks"] = "10.0.0.0/24, proxy.internal" });
        Assert.Contains("Moderation:Network:KnownNetworks = 'proxy.internal' is not a network in CIDR form", line);
    }
}
