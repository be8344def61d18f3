using AiPlatform.AppHost.Hosting;

namespace AiPlatform.AppHost.DevelopmentKeys;

/// <summary>The development key of a data folder, and whether this run created it.</summary>
internal sealed record DevelopmentKey(string Value, string Path, bool Created)
{
    public const string FileName = "dev-key";

    /// <summary>
    /// The key kept in <c>{dataDirectory}/dev-key</c>; when there is none (the first start), one from
    /// <paramref name="create"/>, then kept there with mode 0600 for later runs. A kept key is returned as it is, even
    /// if it was revoked meanwhile: revoking it was the user's decision, and deleting the file asks for a new one.
    /// </summary>
    public static async Task<DevelopmentKey> ResolveAsync(
        string dataDirectory, Func<CancellationToken, Task<string>> create, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(dataDirectory, FileName);
        if (Secrets.TryRead(path) is { } existing)
        {
            return new DevelopmentKey(existing, path, Created: false);
        }

        var value = await create(cancellationToken);
        Secrets.Write(path, value);
        return new DevelopmentKey(value, path, Created: true);
    }
}
