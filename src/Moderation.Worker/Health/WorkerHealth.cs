namespace Moderation.Worker.Health;

/// <summary>What the worker loop is doing, for <c>/health/ready</c>.</summary>
public enum WorkerState { NotStarted, Idle, Busy, Stopped }

/// <summary>
/// The in-process worker's heartbeat: the loop reports when it starts a drain, each batch it finishes, when it goes
/// idle, each failed drain and when it stops. Readiness reads a snapshot. An idle worker is healthy however long it
/// waits; a busy one that has not finished a batch for a while is stalled (a lock it never gets, a hung call).
/// </summary>
public sealed class WorkerHealth
{
    readonly Lock gate = new();
    WorkerState state = WorkerState.NotStarted;
    DateTimeOffset? lastProgress;
    int failuresInRow;
    string? lastError;

    public void Busy(DateTimeOffset now) => Set(WorkerState.Busy, now);

    public void Idle(DateTimeOffset now)
    {
        lock (gate) { state = WorkerState.Idle; lastProgress = now; failuresInRow = 0; lastError = null; }
    }

    /// <summary>A batch was written: the worker moves, even in the middle of a long backlog.</summary>
    public void Progress(DateTimeOffset now)
    {
        lock (gate) lastProgress = now;
    }

    /// <summary>A drain failed. Only the exception's type is kept: messages may quote data.</summary>
    public void Failed(Exception error, DateTimeOffset now)
    {
        lock (gate) { failuresInRow++; lastError = error.GetType().Name; state = WorkerState.Busy; lastProgress = now; }
    }

    public void Stopped(DateTimeOffset now) => Set(WorkerState.Stopped, now);

    void Set(WorkerState to, DateTimeOffset now)
    {
        lock (gate) { state = to; lastProgress = now; }
    }

    public WorkerSnapshot Snapshot()
    {
        lock (gate) return new WorkerSnapshot(state, lastProgress, failuresInRow, lastError);
    }
}

public sealed record WorkerSnapshot(WorkerState State, DateTimeOffset? LastProgress, int FailuresInRow, string? LastError);
