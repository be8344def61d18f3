using AiPlatform.ServiceDefaults.Health;
using OpenTelemetry.Trace;

namespace AiPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Drops the server spans of health probes, which orchestrators send every few seconds and which would
/// otherwise drown the traces people look for. ASP.NET Core passes <c>url.path</c> among the tags it creates
/// the request activity with, so the decision is made before the span is recorded.
/// </summary>
internal sealed class ProbeFilteringSampler(Sampler inner) : Sampler
{
    private const string UrlPathTag = "url.path";

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Tags is { } tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == UrlPathTag && tag.Value is string path && HealthEndpoints.IsProbePath(path))
                {
                    return new SamplingResult(SamplingDecision.Drop);
                }
            }
        }

        return inner.ShouldSample(samplingParameters);
    }
}
