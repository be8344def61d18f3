using AiPlatform.InferenceWorker.Tests.Support;
using OpenAI.Models;

namespace AiPlatform.InferenceWorker.Tests.Api;

public sealed class ModelsTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task GetModels_OfficialSdk_ListsSimulatedModelOwnedBySimulator()
    {
        OpenAIModelCollection models = await fixture.Host.ModelClient().GetModelsAsync();

        var model = Assert.Single(models);
        Assert.Equal("sim", model.Id);
        Assert.Equal("aiplatform-simulator", model.OwnedBy);
    }

    [Fact]
    public async Task GetModels_ConfiguredModelName_ListsThatName()
    {
        using var host = WorkerHost.Simulator(new Dictionary<string, string?> { ["Inference:Simulator:Model"] = "tiny-sim" });

        OpenAIModelCollection models = await host.ModelClient().GetModelsAsync();

        Assert.Equal("tiny-sim", Assert.Single(models).Id);
    }
}
