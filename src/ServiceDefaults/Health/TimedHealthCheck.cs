using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AiPlatform.ServiceDefaults.Health;

/// <summary>
/// Base for dependency checks: bounds the probe by a timeout so that a dependency that hangs
/// reports Unhealthy quickly instead of holding the health endpoint open.
/// </summary>
public abstract class TimedHealthCheck(TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await ProbeAsync(cts.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"no answer within {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, ex.Message, ex);
        }
    }

    protected abstract Task ProbeAsync(CancellationToken cancellationToken);
}
