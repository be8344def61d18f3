namespace AiPlatform.InferenceWorker.Admission;

public static class AdmissionExtensions
{
    public static TBuilder AddAdmissionControl<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<AdmissionOptions>()
            .BindConfiguration(AdmissionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AdmissionController>();
        return builder;
    }
}
