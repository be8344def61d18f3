namespace AiPlatform.Gateway.Tests.Proxy;

[CollectionDefinition(Name)]
public sealed class InferencePathCollection : ICollectionFixture<InferencePathFixture>
{
    public const string Name = "inference-path";
}
