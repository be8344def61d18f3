namespace AiPlatform.AppHost.Tests.Hosting;

public sealed class PlatformOptionsTests
{
    [Fact]
    public void From_Nothing_GivesTheDocumentedDefaults()
    {
        var options = TestApplication.Options();

        Assert.Equal((8080, 8081, 8082, 8088, 6380, 5433), (options.Gateway.Port, options.UsageApi.Port, options.Inference.Port, options.Dashboard.Port, options.Redis.Port, options.Postgres.Port));
        Assert.Equal(1, options.InferenceReplicas);
        Assert.Equal("/repo/.aiplatform", options.DataDirectory);
        Assert.False(options.UseContainers);
        Assert.Equal(TimeSpan.FromSeconds(60), options.SlowStartWarning);
        Assert.Empty(options.Problems);
    }

    [Fact]
    public void From_CommandLineAndVariable_CommandLineWins()
    {
        var options = TestApplication.Options("--gateway-port", "9080", "--AIPLATFORM_GATEWAY_PORT=9999", "--AIPLATFORM_USAGEAPI_PORT=9081");

        Assert.Equal(9080, options.Gateway.Port);
        Assert.Equal(9081, options.UsageApi.Port);
    }

    [Fact]
    public void From_OnnxModelThatIsNotAFolder_ReportsIt()
    {
        var options = TestApplication.Options("--onnx-model", "/no/such/model");

        Assert.Equal(["--onnx-model (or AIPLATFORM_ONNX_MODEL) is '/no/such/model', which is not a folder; give the folder of a model exported with Optimum."], options.Problems);
        Assert.Equal("model", options.OnnxModelName);
    }

    [Fact]
    public void From_SlowStartWarning_IsSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), TestApplication.Options("--slow-start-warning", "5").SlowStartWarning);
    }

    [Theory]
    [InlineData("--gateway-port", "http", "--gateway-port (or AIPLATFORM_GATEWAY_PORT) is 'http'; it takes a whole number from 1 to 65535.")]
    [InlineData("--redis-port", "70000", "--redis-port (or AIPLATFORM_REDIS_PORT) is '70000'; it takes a whole number from 1 to 65535.")]
    [InlineData("--inference-replicas", "0", "--inference-replicas (or AIPLATFORM_INFERENCE_REPLICAS) is '0'; it takes a whole number from 1 to 32.")]
    [InlineData("--slow-start-warning", "0", "--slow-start-warning (or AIPLATFORM_SLOW_START_WARNING) is '0'; it takes a whole number from 1 to 3600.")]
    [InlineData("--onnx-device", "tpu", "--onnx-device (or AIPLATFORM_ONNX_DEVICE) is 'tpu'; it takes cpu or cuda.")]
    [InlineData("--use-containers", "maybe", "--use-containers (or AIPLATFORM_USE_CONTAINERS) is 'maybe'; it takes true or false.")]
    public void From_BadValue_ReportsTheSettingAndWhatItTakes(string flag, string value, string problem)
    {
        var options = TestApplication.Options(flag, value);

        Assert.Equal([problem], options.Problems);
    }
}
