namespace AiPlatform.Testing;

/// <summary>
/// The command line that starts a server binary. It goes through util-linux <c>setpriv</c> when
/// available, for two reasons:
/// <list type="bullet">
/// <item>Postgres refuses to run as root, and these machines run tests as root. <c>setpriv</c>
/// changes user and then <em>execs</em> the binary, so the pid we hold is the server itself and
/// signals reach it (runuser/su would fork and keep a parent in between).</item>
/// <item><c>--pdeathsig</c> makes the kernel signal the server when the test host dies, even by
/// SIGKILL (a CI timeout, a crashed runner), when no managed cleanup can run.</item>
/// </list>
/// </summary>
internal sealed record LaunchCommand(string FileName, IReadOnlyList<string> Arguments)
{
    private static readonly Lazy<string?> s_setpriv = new(() => Executable.FindOnPath("setpriv"));

    /// <param name="binary">Full path of the program to run.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="runAsUser">A user to switch to (we must be root), or null to keep ours.</param>
    /// <param name="parentDeathSignal">Signal name such as SIGKILL the program gets when the test host dies.</param>
    public static LaunchCommand Create(string binary, IEnumerable<string> arguments, string? runAsUser, string parentDeathSignal)
    {
        var setpriv = s_setpriv.Value;
        if (setpriv is null)
        {
            if (runAsUser is not null)
            {
                throw new InvalidOperationException(
                    $"setpriv is needed to run {Path.GetFileName(binary)} as '{runAsUser}' but was not found on PATH. " +
                    "Install it with: apt-get install -y util-linux");
            }

            // Without setpriv the server still works; only the protection against a killed test host is lost.
            return new LaunchCommand(binary, [.. arguments]);
        }

        List<string> wrapped = [];
        if (runAsUser is not null)
        {
            wrapped.AddRange([$"--reuid={runAsUser}", $"--regid={runAsUser}", "--init-groups"]);
        }

        wrapped.AddRange(["--pdeathsig", parentDeathSignal, "--", binary]);
        wrapped.AddRange(arguments);
        return new LaunchCommand(setpriv, wrapped);
    }
}
