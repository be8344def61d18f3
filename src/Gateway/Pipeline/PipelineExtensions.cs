using AiPlatform.Gateway.Resilience;

namespace AiPlatform.Gateway.Pipeline;

public static class PipelineExtensions
{
    /// <summary>
    /// Registers the inference pipeline with its policies in the order <paramref name="configure"/> adds them; a new
    /// policy is a class in its feature's folder and one line here.
    /// </summary>
    public static IHostApplicationBuilder AddInferencePipeline(this IHostApplicationBuilder builder, Action<InferencePipelineBuilder> configure)
    {
        var pipeline = new InferencePipelineBuilder(builder.Services);
        configure(pipeline);
        builder.Services.AddSingleton(services => new InferencePipeline(
            [.. pipeline.PolicyTypes.Select(type => (IInferencePolicy)services.GetRequiredService(type))],
            services.GetRequiredService<ResilientForwarder>(),
            services.GetRequiredService<TimeProvider>()));
        return builder;
    }
}

/// <summary>Lists the pipeline's policies in order.</summary>
public sealed class InferencePipelineBuilder(IServiceCollection services)
{
    private readonly List<Type> _policyTypes = [];

    internal IReadOnlyList<Type> PolicyTypes => _policyTypes;

    public InferencePipelineBuilder Use<TPolicy>() where TPolicy : class, IInferencePolicy
    {
        services.AddSingleton<TPolicy>();
        _policyTypes.Add(typeof(TPolicy));
        return this;
    }
}
