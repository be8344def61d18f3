using System.Runtime.InteropServices;

namespace AiPlatform.EndToEnd.Tests.Hosting;

/// <summary>POSIX signals, which .NET does not send: Process.Kill is SIGKILL only, but the AppHost is stopped by SIGINT, as by Ctrl+C.</summary>
internal static class Signals
{
    public const int SigInt = 2;
    public const int SigKill = 9;

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);
}
