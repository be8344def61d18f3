using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AiPlatform.AppHost.Hosting;

/// <summary>Generated secrets, kept in files only their owner can read, and reused on later runs.</summary>
internal static class Secrets
{
    private const string UrlSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Random characters that need no quoting in URLs, connection strings or SQL literals.</summary>
    public static string NewUrlSafe(int length) => RandomNumberGenerator.GetString(UrlSafeAlphabet, length);

    /// <summary>
    /// The secret in <paramref name="path"/>, or a new one from <paramref name="generate"/> written there with mode 0600.
    /// When two callers create it at once, the first to finish wins and both return its value.
    /// </summary>
    public static (string Value, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        if (TryRead(path) is { } existing)
        {
            return (existing, false);
        }

        var value = generate();
        var temporary = WriteTemporary(path, value);
        try
        {
            // link(2), not File.Move without overwrite: on Unix that checks for the target and then renames over it, so
            // two callers that both passed the check would each return their own value while only the last one is kept.
            if (link(temporary, path) == 0)
            {
                return (value, true);
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != EEXIST)
            {
                throw new IOException($"Could not create {path}: {Marshal.GetPInvokeErrorMessage(error)}.");
            }

            return (TryRead(path) ?? throw new IOException($"{path} exists but is empty."), false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// The secret in <paramref name="path"/>, trimmed; null when the file is missing or blank. A file left readable by
    /// others (copied in by hand, say) is made owner-only again.
    /// </summary>
    public static string? TryRead(string path)
    {
        if (!File.Exists(path) || File.ReadAllText(path).Trim() is not { Length: > 0 } existing)
        {
            return null;
        }

        File.SetUnixFileMode(path, OwnerOnly);
        return existing;
    }

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="path"/> with mode 0600: into a temporary file created with that
    /// mode (so there is no moment in which others could read it), then renamed over the target (so a reader sees the
    /// old file or the whole new one, never half of it).
    /// </summary>
    public static void Write(string path, string value) => File.Move(WriteTemporary(path, value), path, overwrite: true);

    private const int EEXIST = 17;

    /// <summary>Makes <paramref name="newPath"/> a second name of <paramref name="existingPath"/>; fails if it exists.</summary>
    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    /// <summary>A new file beside <paramref name="path"/>, created with mode 0600, holding <paramref name="value"/>.</summary>
    private static string WriteTemporary(string path, string value)
    {
        // Unique per call: the mode applies only when a file is created, so no leftover may be reused, and two writers
        // (two AppHosts, or tests building models in parallel) must not share one.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(value);
        }

        return temporary;
    }
}
