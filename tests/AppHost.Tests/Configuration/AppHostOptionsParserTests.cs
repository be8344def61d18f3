using AiPlatform.AppHost.Configuration;

namespace AiPlatform.AppHost.Tests.Configuration;

public class AppHostOptionsParserTests
{
    private const string DefaultDataDirectory = "/srv/repo/.aiplatform";

    [Fact]
    public void Parse_NoArguments_UsesDocumentedDefaults()
    {
        var options = Parse([]).Options!;

        Assert.Equal(8080, options.PortOf(PortOptions.Gateway));
        Assert.Equal(8081, options.PortOf(PortOptions.UsageApi));
        Assert.Equal(8082, options.PortOf(PortOptions.Inference));
        Assert.Equal(8088, options.PortOf(PortOptions.Dashboard));
        Assert.Equal(6380, options.PortOf(PortOptions.Redis));
        Assert.Equal(5433, options.PortOf(PortOptions.Postgres));
        Assert.Equal(1, options.InferenceReplicas);
        Assert.Equal(DefaultDataDirectory, options.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(120), options.HealthTimeout);
    }

    [Theory]
    [InlineData("--gateway-port", "9080")]
    [InlineData("--gateway-port=9080")]
    public void Parse_PortFlag_SetsThatPort(params string[] args)
    {
        Assert.Equal(9080, Parse(args).Options!.PortOf(PortOptions.Gateway));
    }

    [Fact]
    public void Parse_EnvironmentAndCommandLine_CommandLineWins()
    {
        var environment = new Dictionary<string, string> { ["AIPLATFORM_REDIS_PORT"] = "7000", ["AIPLATFORM_POSTGRES_PORT"] = "7001" };

        var options = Parse(["--redis-port", "7100"], environment).Options!;

        Assert.Equal(7100, options.PortOf(PortOptions.Redis));
        Assert.Equal(7001, options.PortOf(PortOptions.Postgres));
    }

    [Fact]
    public void Parse_OtherOptions_AreRead()
    {
        var options = Parse(["--inference-replicas", "3", "--data-dir", "/tmp/x/../data", "--health-timeout", "30"]).Options!;

        Assert.Equal(3, options.InferenceReplicas);
        Assert.Equal("/tmp/data", options.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HealthTimeout);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("80.5")]
    public void Parse_BadPort_NamesTheOptionAndWhatItAccepts(string value)
    {
        var result = Parse(["--gateway-port", value]);

        Assert.Null(result.Options);
        Assert.Equal($"Invalid value '{value}' for --gateway-port: expected a port number from 1 to 65535.", result.Error);
    }

    [Fact]
    public void Parse_BadPortInEnvironment_NamesTheVariable()
    {
        var result = Parse([], new() { ["AIPLATFORM_DASHBOARD_PORT"] = "http" });

        Assert.Equal("Invalid value 'http' in AIPLATFORM_DASHBOARD_PORT: expected a port number from 1 to 65535.", result.Error);
    }

    [Theory]
    [InlineData("--inference-replicas", "0")]
    [InlineData("--health-timeout", "soon")]
    public void Parse_BadNumber_IsAnError(string flag, string value)
    {
        var result = Parse([flag, value]);

        Assert.StartsWith($"Invalid value '{value}' for {flag}: expected", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOption_PointsToHelp()
    {
        Assert.Equal("Unknown option '--gateway'. Run with --help to see the options.", Parse(["--gateway", "1"]).Error);
    }

    [Fact]
    public void Parse_MissingValue_SaysSo()
    {
        Assert.StartsWith("Option --redis-port needs a value.", Parse(["--redis-port"]).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Parse_Help_RequestsHelp(string flag)
    {
        var result = Parse(["--gateway-port", "1", flag]);

        Assert.True(result.HelpRequested);
        Assert.Null(result.Error);
    }

    [Fact]
    public void HelpText_EveryOption_IsListedWithDefaultAndVariable()
    {
        var help = AppHostOptionsParser.HelpText;

        foreach (var option in PortOptions.All)
        {
            Assert.Contains($"{option.Flag} <port>", help, StringComparison.Ordinal);
            Assert.Contains($"default {option.DefaultPort}; {option.EnvironmentVariable}", help, StringComparison.Ordinal);
        }

        Assert.Contains("--inference-replicas <count>", help, StringComparison.Ordinal);
        Assert.Contains("--data-dir <path>", help, StringComparison.Ordinal);
        Assert.Contains("--health-timeout <seconds>", help, StringComparison.Ordinal);
    }

    private static OptionsParseResult Parse(string[] args, Dictionary<string, string>? environment = null) =>
        AppHostOptionsParser.Parse(args, environment ?? [], DefaultDataDirectory);
}
