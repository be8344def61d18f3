using AiPlatform.Testing.Browser;

namespace AiPlatform.Dashboard.Tests.Browser;

/// <summary>Browser tests share one chromium; starting it costs about a second, a new context a few milliseconds.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
