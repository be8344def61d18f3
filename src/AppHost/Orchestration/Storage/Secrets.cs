using System.Security.Cryptography;

namespace AiPlatform.AppHost.Orchestration.Storage;

/// <summary>Generated secrets, kept in files only their owner can read, and reused on later runs.</summary>
internal static class Secrets
{
    private const string UrlSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>Random characters that need no quoting in URLs, connection strings or SQL literals.</summary>
    public static string NewUrlSafe(int length) => RandomNumberGenerator.GetString(UrlSafeAlphabet, length);

    /// <summary>The secret in <paramref name="path"/>, or a new one from <paramref name="generate"/> written there with mode 0600.</summary>
    public static (string Value, bool Created) ReadOrCreate(string path, Func<string> generate)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return (existing, false);
        }

        var value = generate();
        // Created with 0600 from the start, so there is no moment in which others could read it.
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(value);
        }

        return (value, true);
    }
}
