using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Moderation.Api.Hosting;

namespace Moderation.Api.Auth;

/// <summary>
/// Counts requests with a wrong key per client address (<c>Moderation:Auth:FailedAttemptsPerMinute</c>;
/// an IPv6 client is its /64). Only failures use up the allowance, but once an address is over it, every
/// keyed request from it is 429 before its key is looked at: were a valid key still let through, the
/// throttle would answer a guesser "wrong" (429) or "right" (200) as fast as it can ask.
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

    /// <summary>True (with when to come back) while the address is over its allowance; uses up nothing.</summary>
    public bool IsOverAllowance(string address, out TimeSpan? retryAfter)
    {
        using var lease = limiter.AttemptAcquire(address, permitCount: 0);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : null;
        return !lease.IsAcquired;
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
