using AiPlatform.ServiceDefaults.Admin;
using Microsoft.Extensions.Primitives;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

public sealed class MasterKeyVerifierTests
{
    private const string MasterKey = "sk-aig-master-test";

    private static readonly MasterKeyVerifier s_verifier = new(MasterKey);

    [Theory]
    [InlineData("Bearer sk-aig-master-test")]
    [InlineData("bearer sk-aig-master-test")]
    [InlineData("BEARER sk-aig-master-test")]
    [InlineData("Bearer  sk-aig-master-test ")]
    public void IsAuthorized_MasterKeyAsBearer_True(string authorization) =>
        Assert.True(s_verifier.IsAuthorized(authorization));

    [Theory]
    [InlineData("")]
    [InlineData("Bearer sk-aig-master-wrong")]
    [InlineData("Bearer sk-aig-master-tes")]
    [InlineData("Bearer sk-aig-master-test2")]
    [InlineData("Bearer SK-AIG-MASTER-TEST")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Bearer")]
    [InlineData("Basic sk-aig-master-test")]
    [InlineData("sk-aig-master-test")]
    [InlineData("Bearersk-aig-master-test")]
    [InlineData("Bearer\tsk-aig-master-test")]
    public void IsAuthorized_WrongOrMalformedCredentials_False(string authorization) =>
        Assert.False(s_verifier.IsAuthorized(authorization));

    [Fact]
    public void IsAuthorized_NoAuthorizationHeader_False() =>
        Assert.False(s_verifier.IsAuthorized(StringValues.Empty));

    [Fact]
    public void IsAuthorized_TwoAuthorizationHeaders_FalseEvenWhenBothCarryTheKey() =>
        Assert.False(s_verifier.IsAuthorized(new StringValues(["Bearer " + MasterKey, "Bearer " + MasterKey])));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void IsAuthorized_NoMasterKeyConfigured_FalseForEveryCredential(string? masterKey)
    {
        var verifier = new MasterKeyVerifier(masterKey);

        Assert.False(verifier.IsAuthorized("Bearer " + MasterKey));
        Assert.False(verifier.IsAuthorized("Bearer "));
        Assert.False(verifier.IsAuthorized("Bearer    "));
        Assert.False(verifier.IsAuthorized(StringValues.Empty));
    }
}
