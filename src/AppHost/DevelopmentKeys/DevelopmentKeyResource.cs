
namespace AiPlatform.AppHost.DevelopmentKeys;

/// <summary>
/// The virtual key a first run creates so that the Gateway can be tried without an admin call. It shows in the Aspire
/// dashboard as a resource: its state says whether the key exists, its properties hold the key (marked sensitive, so the
/// dashboard masks it until asked) and its log holds ready-to-paste curl and SDK examples.
/// </summary>
public sealed class DevelopmentKeyResource(string name, string model, string dataDirectory) : Resource(name)
{
    public const string ResourceType = "DevelopmentKey";

    /// <summary>The model the examples call.</summary>
    public string Model => model;

    /// <summary>Where the key is kept between runs (<see cref="DevelopmentKey.FileName"/> inside it).</summary>
    public string DataDirectory => dataDirectory;
}
