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
    public const int AnnouncementOff = 1400;
    public const int AnnouncementNoAddress = 1401;
    public const int Announcing = 1402;
    public const int AnnouncementRedisDown = 1403;
    public const int AnnouncementRedisBack = 1404;
    public const int AnnouncementWithdrawn = 1405;
    public const int AnnouncementWithdrawFailed = 1406;
    public const int AnnouncementRedisUnusable = 1407;
    public const int VllmMetricsUnreadable = 1410;
    public const int VllmMetricsReadable = 1411;
}
