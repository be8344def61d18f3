namespace AiPlatform.AppHost.Model;

/// <summary>A resource being described; the <c>With…</c> and <c>WaitFor</c> extensions add to it.</summary>
public interface IResourceBuilder<out T>
{
    DistributedApplicationBuilder ApplicationBuilder { get; }

    T Resource { get; }
}

internal sealed class ResourceBuilder<T>(DistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
{
    public DistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;
}
