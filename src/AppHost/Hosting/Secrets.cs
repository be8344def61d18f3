using System.Security.Cryptography;

namespace AiPlatform.AppHost.Hosting;

/// <summary>Generated secrets, kept in files only their owner can read, and reused on later runs.</summary>
internal static class Secrets
{
    private const string UrlSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Random characters that need no quoting in URLs, connection strings or SQL literals.</summary>
    public static string NewUrlSafe(int length) => RandomNumberGenerator.GetString(UrlSafeAlphabet, length);

    /// <summary>The secret in <paramref name="path"/>, or a new one from <paramref name="generate"/> written there with mode 0600.</summary>
    public static (string Value, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        if (TryRead(path) is { } existing)
        {
            return (existing, false);
        }

        var value = generate();
        Write(path, value);
        return (value, true);
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
    public static void Write(string path, string value)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        // The mode applies only when the file is created, so a leftover of a crashed run must not be reused.
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(value);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
