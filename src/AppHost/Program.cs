using AiPlatform.AppHost;

// Options come from the command line and the environment (--help lists them); the resources and their wiring are
// described in AiPlatformResources.cs; RunAsync starts them in order and stops them on Ctrl+C.
var builder = DistributedApplication.CreateBuilder(args);
builder.AddAiPlatform();
return await builder.Build().RunAsync();
