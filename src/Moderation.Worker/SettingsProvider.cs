using Microsoft.Extensions.Options;
using Moderation.Core.Policy;
using Moderation.Storage.Settings;

namespace Moderation.Worker;

/// <summary>
/// The settings in force: what an admin stored through the API, else the thresholds from
/// configuration (<c>Moderation:Policy</c>). Read per batch, so a change applies to the very next one.
/// </summary>
public sealed class SettingsProvider(SettingsRepository settings, IOptionsMonitor<PolicyOptions> configured)
{
    public async Task<ModerationSettings> CurrentAsync(CancellationToken ct) => (await VersionedAsync(ct)).Settings;

    /// <summary>The settings in force and their stored version (0 while an admin never saved any), read together.</summary>
    public async Task<(long Version, ModerationSettings Settings)> VersionedAsync(CancellationToken ct)
    {
        var (version, stored) = await settings.GetAsync(ct);
        return (version, stored ?? new ModerationSettings { Reasons = new Dictionary<string, ReasonThreshold>(configured.CurrentValue.Reasons, StringComparer.OrdinalIgnoreCase) });
    }
}
