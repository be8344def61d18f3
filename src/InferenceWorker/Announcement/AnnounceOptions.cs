using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace AiPlatform.InferenceWorker.Announcement;

/// <summary>
/// The <c>Inference:Announce</c> section: how the worker announces itself in Redis (<c>ConnectionStrings:cache</c>)
/// so that Gateways find it without configuration.
/// </summary>
public sealed class AnnounceOptions
{
    public const string SectionName = "Inference:Announce";

    /// <summary>Off: the worker never writes to Redis, even with a connection string.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The root URL Gateways should use (<c>http://inference-0:8082/</c>). Unset: the address the server listens on,
    /// with <c>localhost</c> for a wildcard host, which only suits Gateways on the same machine.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>The worker's id in Redis. Unset: <c>{machine}-{port}-{8 random hex digits}</c>, new for every process.</summary>
    public string? Id { get; set; }

    /// <summary>How often the announcement is renewed with fresh load figures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Inference:Announce:Interval must be between {1} and {2}.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an announcement outlives its last renewal, i.e. how soon a dead worker is forgotten.</summary>
    [Range(typeof(TimeSpan), "00:00:00.030", "01:00:00", ErrorMessage = "Inference:Announce:Ttl must be between {1} and {2}.")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The rules across <c>Inference:Announce</c>'s keys and on its strings, all reported at start with their keys.</summary>
internal sealed class AnnounceOptionsValidator : IValidateOptions<AnnounceOptions>
{
    public ValidateOptionsResult Validate(string? name, AnnounceOptions options)
    {
        List<string> errors = [];
        if (options.Ttl <= 2 * options.Interval)
        {
            // One late or lost beat must not make a live worker disappear.
            errors.Add($"Inference:Announce:Ttl must be more than twice Inference:Announce:Interval ({options.Interval}); it is {options.Ttl}.");
        }

        if (!string.IsNullOrWhiteSpace(options.Address)
            && !(Uri.TryCreate(options.Address.Trim(), UriKind.Absolute, out var address) && (address.Scheme == Uri.UriSchemeHttp || address.Scheme == Uri.UriSchemeHttps)))
        {
            errors.Add($"Inference:Announce:Address must be an absolute http(s) URL when set; it is '{options.Address}'.");
        }

        if (options.Id is { Length: > 0 } id && id.Any(char.IsWhiteSpace))
        {
            errors.Add($"Inference:Announce:Id must not contain white space; it is '{id}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
