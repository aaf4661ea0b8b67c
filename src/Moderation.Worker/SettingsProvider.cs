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
    public async Task<ModerationSettings> CurrentAsync(CancellationToken ct)
    {
        var (_, stored) = await settings.GetAsync(ct);
        return stored ?? new ModerationSettings { Reasons = new Dictionary<string, ReasonThreshold>(configured.CurrentValue.Reasons, StringComparer.OrdinalIgnoreCase) };
    }
}
