using Microsoft.Extensions.Options;
using Moderation.Api.Hosting;

namespace Moderation.Api.Auth;

/// <summary>
/// The bootstrap admin key: from <c>Moderation:Auth:AdminKey</c>, else read from (or made into)
/// <c>admin.key</c> beside the database, readable by the owner only. The path is logged, never the key.
/// </summary>
public sealed class AdminKeyProvider
{
    public AdminKeyProvider(IOptions<AuthOptions> auth, IOptions<ModerationOptions> moderation, ILogger<AdminKeyProvider> log)
    {
        var configured = auth.Value.AdminKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Hash = ApiKeys.Hash(configured);
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(moderation.Value.Database))!;
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
        Hash = ApiKeys.Hash(File.ReadAllText(KeyFile).Trim());
    }

    public byte[] Hash { get; }

    public string? KeyFile { get; }
}
