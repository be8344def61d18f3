namespace AiPlatform.Dashboard.Logs;

/// <summary>
/// Keyset paging over the request log: UsageApi gives each page a cursor to the next one, so going back means
/// remembering the cursors that led here. Page 1 has no cursor.
/// </summary>
public sealed class LogPager
{
    private readonly List<string?> _cursors = [null];

    /// <summary>The cursor of the page shown (null for the first).</summary>
    public string? Current => _cursors[^1];

    /// <summary>1 for the newest records.</summary>
    public int PageNumber => _cursors.Count;

    /// <summary>The cursor of the page after the one shown, as its answer gave it; null on the last page.</summary>
    public string? Next { get; private set; }

    public bool HasPrevious => _cursors.Count > 1;

    public bool HasNext => Next is not null;

    /// <summary>Records the answer for the page shown.</summary>
    public void Shown(string? nextCursor) => Next = nextCursor;

    public void GoNext()
    {
        if (Next is null)
        {
            throw new InvalidOperationException("There is no page after the last one.");
        }

        _cursors.Add(Next);
        Next = null;
    }

    public void GoPrevious()
    {
        if (_cursors.Count > 1)
        {
            _cursors.RemoveAt(_cursors.Count - 1);
            Next = null;
        }
    }

    /// <summary>Back to the newest records: filters changed, so every cursor is for another query.</summary>
    public void Reset()
    {
        _cursors.RemoveRange(1, _cursors.Count - 1);
        Next = null;
    }
}
