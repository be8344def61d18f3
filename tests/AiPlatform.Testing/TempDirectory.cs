using System.Globalization;

namespace AiPlatform.Testing;

/// <summary>
/// Private folders for server data, named /tmp/aiplatform-*, so a leak is easy to spot. Each holds
/// an <c>.owner</c> file naming the test host that created it: a host killed with SIGKILL cannot
/// delete its folders (its servers die with it, see <see cref="LaunchCommand"/>), so the next test
/// run on the machine deletes folders whose owner is gone.
/// </summary>
internal static class TempDirectory
{
    // Always /tmp rather than $TMPDIR: when tests run as root, Postgres runs as the postgres user,
    // which must be able to reach the folder (a $TMPDIR under /root would not be reachable).
    private const string Root = "/tmp";
    private const string Prefix = "aiplatform-";
    private const string OwnerFile = ".owner";

    private static readonly Lazy<string?> s_self = new(() => OwnerIdentity(Environment.ProcessId));
    private static int s_swept;

    /// <summary>Creates /tmp/aiplatform-<paramref name="kind"/>-&lt;random&gt;, readable by its owner only.</summary>
    public static string Create(string kind)
    {
        SweepLeftoversOnce();
        while (true)
        {
            var path = Path.Combine(Root, $"{Prefix}{kind}-{Guid.NewGuid().ToString("N")[..12]}");
            if (Directory.Exists(path))
            {
                continue;
            }

            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                // Owner only: other users on the machine have no business in test data.
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            if (s_self.Value is { } self)
            {
                File.WriteAllText(Path.Combine(path, OwnerFile), self);
            }

            return path;
        }
    }

    /// <summary>Deletes the folder; retries once because a just-stopped server may still be closing files.</summary>
    public static void Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 2)
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void SweepLeftoversOnce()
    {
        if (Interlocked.Exchange(ref s_swept, 1) == 1 || !Directory.Exists(Root))
        {
            return;
        }

        foreach (var path in Directory.EnumerateDirectories(Root, Prefix + "*"))
        {
            try
            {
                // No owner file: made by something else, or being created right now. Leave it.
                var owner = File.ReadAllText(Path.Combine(path, OwnerFile)).Trim();
                if (IsGone(owner))
                {
                    Directory.Delete(path, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's folder, or it vanished meanwhile: not ours to clean.
            }
        }
    }

    // "host pid starttime": the start time (in clock ticks since boot, from /proc) tells a reused pid
    // apart; the host name keeps a container sharing /tmp from judging pids it cannot see.
    private static bool IsGone(string owner)
    {
        var parts = owner.Split(' ');
        return parts.Length == 3
            && parts[0] == Environment.MachineName
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && OwnerIdentity(pid) != owner;
    }

    private static string? OwnerIdentity(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which is in parentheses and may contain spaces;
            // field 22 (starttime) is the 20th of them.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return $"{Environment.MachineName} {pid} {fields[19]}";
        }
        catch (IOException)
        {
            return null;
        }
    }
}
