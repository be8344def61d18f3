using System.Runtime.InteropServices;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>POSIX signals, which .NET does not send: Process.Kill is SIGKILL only, but the AppHost stops on SIGINT (Ctrl+C) and SIGTERM.</summary>
internal static class Signals
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);
}
