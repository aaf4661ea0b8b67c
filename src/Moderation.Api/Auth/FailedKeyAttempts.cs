using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Moderation.Api.Hosting;

namespace Moderation.Api.Auth;

/// <summary>
/// Counts requests with a wrong key per client address (<c>Moderation:Auth:FailedAttemptsPerMinute</c>).
/// Only failures use up the allowance, and a valid key is checked before it: a caller with a good key
/// is never slowed, even from an address someone else is guessing from.
/// </summary>
public sealed class FailedKeyAttempts : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter;

    public FailedKeyAttempts(IOptions<AuthOptions> options)
    {
        var perMinute = Math.Max(1, options.Value.FailedAttemptsPerMinute);
        limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Records one failed attempt; false (with when to come back) once the address is over its allowance.</summary>
    public bool TryFail(string address, out TimeSpan? retryAfter)
    {
        using var lease = limiter.AttemptAcquire(address);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : null;
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
