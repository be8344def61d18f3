using AiPlatform.InferenceWorker.Admission;
using AiPlatform.InferenceWorker.Announcement;

namespace AiPlatform.InferenceWorker.Tests.Announcement;

public sealed class WorkerLoadTests
{
    [Fact]
    public void Combine_VllmBusierInOneFigure_TakesTheLargerOfEach()
    {
        var load = WorkerLoad.Combine(new AdmissionLoad(Running: 4, Waiting: 1, MaxRunning: 8, MaxWaiting: 16), new VllmLoad(Running: 2, Waiting: 3, KvCacheUsage: 0.4));

        Assert.Equal(new WorkerLoad(4, 3, 8, 16, 0.4), load);
    }

    [Fact]
    public void Combine_NoVllm_AdmissionFiguresWithoutKvCache()
    {
        var load = WorkerLoad.Combine(new AdmissionLoad(2, 5, 8, 16), vllm: null);

        Assert.Equal(new WorkerLoad(2, 5, 8, 16, null), load);
    }
}
