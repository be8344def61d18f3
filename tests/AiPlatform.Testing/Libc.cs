using System.Runtime.InteropServices;

namespace AiPlatform.Testing;

/// <summary>
/// The two POSIX calls .NET does not expose: sending an arbitrary signal (Process.Kill only sends
/// SIGKILL, but servers need SIGTERM/SIGINT to shut down cleanly) and asking for the effective uid.
/// </summary>
internal static class Libc
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigQuit = 3;

    /// <summary>errno when the process no longer exists.</summary>
    public const int Esrch = 3;

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);

    [DllImport("libc")]
    public static extern uint geteuid();

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;
}
