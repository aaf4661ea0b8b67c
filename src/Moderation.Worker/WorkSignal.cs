namespace Moderation.Worker;

/// <summary>Wakes the worker at once when a comment arrives, instead of waiting for the next poll.</summary>
public sealed class WorkSignal
{
    readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        // At most one pending wake-up: many arrivals during a batch need one more look, not many.
        try { signal.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>Waits for <see cref="Notify"/> or until <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = signal.WaitAsync(cts.Token);
        var delay = Task.Delay(timeout, time, cts.Token);
        await Task.WhenAny(wake, delay);
        cts.Cancel();
        ct.ThrowIfCancellationRequested();
    }
}
