using AiPlatform.ServiceDefaults.Admin;
using Microsoft.Extensions.Primitives;

namespace AiPlatform.ServiceDefaults.Tests.Admin;

public sealed class MasterKeyVerifierTests
{
    private const string MasterKey = "sk-aig-master-test-0123456789abcdefghij";

    private static readonly MasterKeyVerifier s_verifier = new(MasterKey);

    [Theory]
    [InlineData("Bearer " + MasterKey)]
    [InlineData("bearer " + MasterKey)]
    [InlineData("BEARER " + MasterKey)]
    [InlineData("Bearer  " + MasterKey + " ")]
    public void IsAuthorized_MasterKeyAsBearer_True(string authorization) =>
        Assert.True(s_verifier.IsAuthorized(authorization));

    [Theory]
    [InlineData("")]
    [InlineData("Bearer sk-aig-master-wrong")]
    [InlineData("Bearer sk-aig-master-test-0123456789abcdefghi")]
    [InlineData("Bearer " + MasterKey + "2")]
    [InlineData("Bearer SK-AIG-MASTER-TEST-0123456789ABCDEFGHIJ")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Bearer")]
    [InlineData("Basic " + MasterKey)]
    [InlineData(MasterKey)]
    [InlineData("Bearer" + MasterKey)]
    [InlineData("Bearer\t" + MasterKey)]
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
        Assert.False(verifier.IsMasterKey(""));
        Assert.False(verifier.IsMasterKey("   "));
    }

    [Theory]
    [InlineData(MasterKey, true)]
    [InlineData(MasterKey + " ", false)]
    [InlineData("sk-aig-master-test-0123456789abcdefghi", false)]
    [InlineData("SK-AIG-MASTER-TEST-0123456789ABCDEFGHIJ", false)]
    [InlineData("", false)]
    public void IsMasterKey_Credential_TrueOnlyForTheExactKey(string credential, bool expected) =>
        Assert.Equal(expected, s_verifier.IsMasterKey(credential));

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bEaReR abc", "abc")]
    [InlineData("Bearer   abc  ", "abc")]
    [InlineData("Bearer a b", "a b")]
    [InlineData("Bearer sk-aig-admin-xyz", "sk-aig-admin-xyz")]
    public void TryReadBearer_OneBearerHeader_TheTrimmedCredential(string authorization, string expected)
    {
        Assert.True(MasterKeyVerifier.TryReadBearer(authorization, out var credential));
        Assert.Equal(expected, credential);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Basic abc")]
    [InlineData("abc")]
    [InlineData("Bearerabc")]
    [InlineData("Bearer\tabc")]
    public void TryReadBearer_NoBearerCredential_FalseAndEmpty(string authorization)
    {
        Assert.False(MasterKeyVerifier.TryReadBearer(authorization, out var credential));
        Assert.Equal("", credential);
    }

    [Fact]
    public void TryReadBearer_TwoHeaders_FalseRatherThanPickingOne() =>
        Assert.False(MasterKeyVerifier.TryReadBearer(new StringValues(["Bearer a", "Bearer a"]), out _));

    [Fact]
    public void TryReadBearer_NoHeader_False() =>
        Assert.False(MasterKeyVerifier.TryReadBearer(StringValues.Empty, out _));
}
