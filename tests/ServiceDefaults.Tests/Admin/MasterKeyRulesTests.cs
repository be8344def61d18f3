using AiPlatform.ServiceDefaults.Admin;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

public sealed class MasterKeyRulesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Problem_NoMasterKey_None(string? masterKey) =>
        Assert.Null(MasterKeyRules.Problem(masterKey));

    [Theory]
    [InlineData(" ")]
    [InlineData("                                        ")]
    [InlineData("\t\n")]
    public void Problem_Blank_NamesTheSettingAndHowToMakeOne(string masterKey)
    {
        var problem = MasterKeyRules.Problem(masterKey);

        Assert.NotNull(problem);
        Assert.Contains("AIPLATFORM_MASTER_KEY is blank", problem, StringComparison.Ordinal);
        Assert.Contains("openssl rand", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    public void Problem_ShorterThan32_SaysHowLongItIsAndMustBeWithoutQuotingIt(int length)
    {
        var masterKey = new string('k', length);

        var problem = MasterKeyRules.Problem(masterKey);

        Assert.NotNull(problem);
        Assert.Contains($"has {length} characters; at least 32", problem, StringComparison.Ordinal);
        Assert.Contains("openssl rand", problem, StringComparison.Ordinal);
        if (length > 1)
        {
            Assert.DoesNotContain(masterKey, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(200)]
    public void Problem_32OrMore_None(int length) =>
        Assert.Null(MasterKeyRules.Problem(new string('k', length)));

    [Fact]
    public void WeakKeyMessage_NamesTheSettingTheLengthAndHowToMakeOne()
    {
        Assert.Contains("AIPLATFORM_MASTER_KEY", MasterKeyRules.WeakKeyMessage, StringComparison.Ordinal);
        Assert.Contains("32 characters", MasterKeyRules.WeakKeyMessage, StringComparison.Ordinal);
        Assert.Contains("openssl rand -hex 32", MasterKeyRules.WeakKeyMessage, StringComparison.Ordinal);
    }
}
