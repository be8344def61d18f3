namespace AiPlatform.ServiceDefaults.Hosting;

public static class PeriodicTimerExtensions
{
    /// <summary>Waits for the next tick; false (instead of an exception) once <paramref name="stoppingToken"/> is cancelled.</summary>
    public static async Task<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
