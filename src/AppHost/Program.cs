using AiPlatform.AppHost.Hosting;
using AiPlatform.ServiceDefaults.Configuration;

// The platform as an Aspire app model. Settings: --gateway-port, --inference-replicas, --data-dir, --use-containers …
// (PlatformOptions); Redis and Postgres run as Debian's servers unless a connection string, containers or publish mode
// say otherwise (DataStoreExtensions).
var builder = DistributedApplication.CreateBuilder(args);
var options = builder.AddPlatformOptions();
builder.AddResourceProblemReport(options);

var cache = builder.AddRedisStore(KnownResourceNames.Cache, options);
var usageDb = builder.AddPostgresStore(KnownResourceNames.Postgres, KnownResourceNames.UsageDb, options);
var masterKeyPath = Path.Combine(options.DataDirectory, "master-key");
var masterKey = builder.AddKeptSecret("master-key", masterKeyPath, "sk-aig-master-", KnownConfigNames.MasterKey);
// Lets the Dashboard name the browser it calls the admin APIs for (failed sign-ins and audit entries by that address).
var forwarderKey = builder.AddKeptSecret("forwarder-key", Path.Combine(options.DataDirectory, "forwarder-key"), "sk-aig-fwd-",
    KnownConfigNames.ForwarderKey);

var usageApi = builder.AddPlatformService<Projects.UsageApi>(KnownResourceNames.UsageApi, options.UsageApi.Port)
    .WithReference(usageDb).WithReference(cache)
    .WithEnvironment(KnownConfigNames.MasterKey, masterKey)
    .WithEnvironment(KnownConfigNames.ForwarderKey, forwarderKey)
    .WaitFor(usageDb).WaitFor(cache);

// Each replica announces itself in Redis under the address the Gateway also gets for it (WithReplicaReferences).
var inference = builder.AddPlatformServiceReplicas<Projects.InferenceWorker>(
    KnownResourceNames.Inference, options.Inference.Port, options.InferenceReplicas,
    replica => replica.WithReference(cache).WaitFor(cache)
        .WithEnvironment(KnownConfigNames.InferenceAnnounceAddressVariable, replica.GetEndpoint("http")));

// With --onnx-model, a worker on the onnx engine serves that model folder too, announced like the others.
IReadOnlyList<IResourceBuilder<ProjectResource>> onnx = options.OnnxModel is null ? [] : [builder.AddOnnxWorker(options, cache)];

var gateway = builder.AddPlatformService<Projects.Gateway>(KnownResourceNames.Gateway, options.Gateway.Port)
    .WithReference(cache).WithReference(usageApi).WithReplicaReferences(KnownResourceNames.Inference, inference)
    .WithEnvironment(KnownConfigNames.MasterKey, masterKey)
    .WithEnvironment(KnownConfigNames.ForwarderKey, forwarderKey)
    .WithEnvironment("Gateway__Models__0__Name", PlatformOptions.SimulatorModel)
    .WithEnvironment("Gateway__Models__0__Targets__0__Service", KnownResourceNames.Inference)
    .WaitFor(cache).WaitFor(usageApi).WaitForAll(inference).WaitForAll(onnx);

builder.AddPlatformService<Projects.Dashboard>(KnownResourceNames.Dashboard, options.Dashboard.Port)
    .WithReference(usageApi).WithReference(gateway).WithReplicaReferences(KnownResourceNames.Inference, inference)
    .WithEnvironment(KnownConfigNames.ForwarderKey, forwarderKey)
    .WaitFor(gateway)
    .WithSignInAnnouncement(builder, masterKeyPath);

builder.AddDevelopmentKey("dev-key", usageApi, gateway, masterKey, PlatformOptions.SimulatorModel, options.DataDirectory);

builder.Build().Run();
