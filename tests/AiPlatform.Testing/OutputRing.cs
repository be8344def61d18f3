namespace AiPlatform.Testing;

/// <summary>
/// The last lines a server printed, kept so that a failed start can say why (port taken, bad
/// setting, missing permission) without storing the output of a whole test run.
/// </summary>
internal sealed class OutputRing(int capacity)
{
    private readonly Queue<string> _lines = new(capacity);
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }
}
