using System.Security.Cryptography;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>The address and id a worker announces, when <c>Inference:Announce</c> does not set them.</summary>
internal static class WorkerAddress
{
    private const string Localhost = "localhost";

    /// <summary>
    /// The root URL to announce, ending with '/': <paramref name="configured"/> if set, else the first address the server
    /// listens on (http before https) with <c>localhost</c> for a wildcard host. Null when the server listens on none
    /// that a Gateway could reach (a Unix socket, or a test server that has no addresses).
    /// </summary>
    public static string? Choose(string? configured, IEnumerable<string> listening)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return WithSlash(configured.Trim());
        }

        string? https = null;
        foreach (var text in listening)
        {
            BindingAddress binding;
            try
            {
                binding = BindingAddress.Parse(text);
            }
            catch (FormatException)
            {
                continue;
            }

            if (binding.IsUnixPipe || binding.IsNamedPipe)
            {
                continue;
            }

            var address = WithSlash($"{binding.Scheme}://{(IsWildcard(binding.Host) ? Localhost : binding.Host)}:{binding.Port}{binding.PathBase}");
            if (string.Equals(binding.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase))
            {
                return address;
            }

            https ??= address;
        }

        return https;
    }

    /// <summary><c>{machine}-{port}-{8 random hex digits}</c>: readable in Redis, unique even for two processes on one port in turn.</summary>
    public static string DefaultId(string address) =>
        $"{Environment.MachineName}-{new Uri(address).Port}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    // Kestrel reports "http://[::]:8082" for "+" and "*"; the others may come from ASPNETCORE_URLS as written.
    private static bool IsWildcard(string host) => host is "+" or "*" or "0.0.0.0" or "[::]";

    private static string WithSlash(string address) => address.EndsWith('/') ? address : address + "/";
}
