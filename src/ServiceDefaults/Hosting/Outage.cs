namespace AiPlatform.ServiceDefaults.Hosting;

/// <summary>
/// Whether a dependency a loop calls every beat is failing, so that an outage is logged once when it begins and once
/// when it ends instead of every beat. Not thread-safe: one loop owns it.
/// </summary>
public sealed class Outage
{
    private bool _ongoing;

    /// <summary>Records a failure; true when it begins an outage.</summary>
    public bool Fails()
    {
        var begins = !_ongoing;
        _ongoing = true;
        return begins;
    }

    /// <summary>Records a success; true when it ends an outage.</summary>
    public bool Succeeds()
    {
        var ends = _ongoing;
        _ongoing = false;
        return ends;
    }
}
