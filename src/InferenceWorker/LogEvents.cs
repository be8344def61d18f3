namespace AiPlatform.InferenceWorker;

/// <summary>Event ids of the worker's logs, in one registry so that they stay unique and searchable.</summary>
internal static class LogEvents
{
    public const int ClientDisconnected = 1000;
    public const int AdmissionRejected = 1100;
    public const int SimulatedFault = 1200;
    public const int UpstreamUnreachable = 1300;
    public const int UpstreamTimedOut = 1301;
    public const int UpstreamFailedMidResponse = 1302;
}
