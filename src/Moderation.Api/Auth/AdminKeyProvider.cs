using Microsoft.Extensions.Options;
using Moderation.Api.Hosting;

namespace Moderation.Api.Auth;

/// <summary>
/// The bootstrap admin key: from <c>Moderation:Auth:AdminKey</c>, else read from (or made into)
/// <c>admin.key</c> beside the database, readable by the owner only. The path is logged, never the key.
/// A key too short to resist guessing, an empty file, or a file other users may read stops the start
/// (<see cref="StartupException"/>): the service never runs with an admin key it cannot vouch for.
/// </summary>
public sealed class AdminKeyProvider
{
    /// <summary>Shortest admin key accepted: 24 random characters are over 128 bits, out of reach of guessing online.</summary>
    public const int MinimumLength = 24;

    const UnixFileMode OpenToOthers = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite;

    public AdminKeyProvider(IOptions<AuthOptions> auth, IOptions<Moderation.Storage.StorageOptions> storage, ILogger<AdminKeyProvider> log)
    {
        var configured = auth.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (configured.Length < MinimumLength)
                throw new StartupException($"Moderation:Auth:AdminKey is {configured.Length} characters; it must be at least {MinimumLength} " +
                    "(a random string, e.g. from `openssl rand -base64 32`), or leave it unset and the service makes one into admin.key.");
            Hash = ApiKeys.Hash(configured);
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(storage.Value.DatabasePath))!;
        KeyFile = Path.Combine(directory, "admin.key");
        if (!File.Exists(KeyFile))
        {
            Directory.CreateDirectory(directory);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(KeyFile, options)) writer.Write(ApiKeys.NewKey());
            log.LogWarning("Generated the bootstrap admin key into {KeyFile} (readable by its owner only)", KeyFile);
        }
        else log.LogInformation("Bootstrap admin key is read from {KeyFile}", KeyFile);
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(KeyFile) & OpenToOthers) != 0)
            throw new StartupException($"The admin key file '{KeyFile}' may be read or changed by other users " +
                $"(mode {Convert.ToString((int)File.GetUnixFileMode(KeyFile), 8)}). Run: chmod 600 '{KeyFile}'");
        var key = File.ReadAllText(KeyFile).Trim();
        if (key.Length < MinimumLength)
            throw new StartupException(key.Length == 0
                ? $"The admin key file '{KeyFile}' is empty. Delete it (the service makes a new key at start) or write a key of at least {MinimumLength} characters into it."
                : $"The admin key in '{KeyFile}' is {key.Length} characters; it must be at least {MinimumLength}. Delete the file (the service makes a new key at start) or write a longer key into it.");
        Hash = ApiKeys.Hash(key);
    }

    public byte[] Hash { get; }

    public string? KeyFile { get; }
}
