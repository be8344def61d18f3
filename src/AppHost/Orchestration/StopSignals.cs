using System.Runtime.InteropServices;

namespace AiPlatform.AppHost.Orchestration;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM into an orderly stop instead of the runtime's default termination, which would
/// leave the children running. A second signal means "now": the caller kills everything at once.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public StopSignals(Action onFirst, Action onSecond)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref _received) == 1)
            {
                onFirst();
            }
            else
            {
                onSecond();
            }
        }

        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}
