namespace AiPlatform.UsageApi.Migrations;

public static class MigrationExtensions
{
    public static IHostApplicationBuilder AddUsageDbMigrations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MigrationOptions>()
            .BindConfiguration(MigrationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
