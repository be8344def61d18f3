using System.Runtime.InteropServices;

namespace AiPlatform.AppHost.Orchestration.Processes;

/// <summary>
/// Sending an arbitrary signal, which .NET does not expose: Process.Kill only sends SIGKILL, but servers need SIGTERM
/// or SIGINT to shut down cleanly.
/// </summary>
internal static class Libc
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    /// <summary><paramref name="pid"/> negative signals the whole process group <c>-pid</c>.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);
}
