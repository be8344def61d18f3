using System.Runtime.InteropServices;

namespace AiPlatform.Testing;

/// <summary>
/// Last-chance cleanup when the test host ends without disposing its fixtures (an exit from the
/// middle of a run, an unhandled exception, SIGTERM from a CI timeout, SIGHUP): kills servers and
/// removes their temp folders. Nothing runs on SIGKILL; for that, servers get a parent-death signal
/// (see <see cref="LaunchCommand"/>) and the next run deletes the folders (see <see cref="TempDirectory"/>).
/// </summary>
internal static class ProcessExitCleanup
{
    private static readonly Lock s_gate = new();
    private static readonly List<Registration> s_registrations = [];

    // Since .NET 10 the runtime no longer turns SIGTERM/SIGHUP into ProcessExit, so we listen
    // ourselves. The handlers do not cancel the signal: the process still terminates as before.
    // Kept in a field because a collected registration unregisters itself.
    private static readonly PosixSignalRegistration[] s_signalRegistrations = OperatingSystem.IsWindows()
        ? []
        :
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => RunAll()),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => RunAll()),
        ];

    static ProcessExitCleanup()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => RunAll();
    }

    /// <summary>
    /// Registers <paramref name="action"/> to run at exit; dispose the result once the resource was
    /// cleaned up normally. Actions run newest first, so a server registered after its folder is
    /// killed before the folder is deleted.
    /// </summary>
    public static IDisposable Register(Action action)
    {
        var registration = new Registration(action);
        lock (s_gate)
        {
            s_registrations.Add(registration);
        }

        return registration;
    }

    private static void RunAll()
    {
        Registration[] pending;
        lock (s_gate)
        {
            pending = [.. s_registrations];
            s_registrations.Clear();
        }

        for (var i = pending.Length - 1; i >= 0; i--)
        {
            try
            {
                pending[i].Action();
            }
            catch (Exception)
            {
                // Best effort: the process is going away; one failed cleanup must not stop the others.
            }
        }
    }

    private sealed class Registration(Action action) : IDisposable
    {
        public Action Action { get; } = action;

        public void Dispose()
        {
            lock (s_gate)
            {
                s_registrations.Remove(this);
            }
        }
    }
}
