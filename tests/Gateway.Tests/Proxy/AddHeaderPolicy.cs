using System.ClientModel.Primitives;

namespace AiPlatform.Gateway.Tests.Proxy;

/// <summary>Adds a header to every request of an OpenAI SDK client, as a caller sets the Gateway's <c>aig-*</c> headers.</summary>
internal sealed class AddHeaderPolicy(string name, string value) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set(name, value);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        message.Request.Headers.Set(name, value);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }
}
