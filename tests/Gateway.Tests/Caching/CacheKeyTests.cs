using System.Text;
using AiPlatform.Gateway.Caching;
using AiPlatform.Gateway.Requests;

namespace AiPlatform.Gateway.Tests.Caching;

public sealed class CacheKeyTests
{
    private static string Key(string json, string scope = "key:k1", InferenceOperation operation = InferenceOperation.ChatCompletions, string? callerKey = null) =>
        CacheKey.For(scope, operation, Encoding.UTF8.GetBytes(json), callerKey);

    [Fact]
    public void For_FieldOrderAndWhitespace_DoNotMatter()
    {
        var a = Key("""{"model":"sim","temperature":0.5,"messages":[{"role":"user","content":"hi"}]}""");
        var b = Key("""
            {
              "messages": [ { "content": "hi", "role": "user" } ],
              "temperature": 0.5,
              "model": "sim"
            }
            """);

        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("""{"model":"sim","temperature":0.6,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"other","temperature":0.5,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"sim","temperature":0.5,"messages":[{"role":"user","content":"hi!"}]}""")]
    [InlineData("""{"model":"sim","temperature":0.5,"seed":1,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"sim","temperature":0.5,"messages":[{"role":"system","content":"hi"}]}""")]
    public void For_AnyOutputChangingField_ChangesTheKey(string changed)
    {
        var original = Key("""{"model":"sim","temperature":0.5,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.NotEqual(original, Key(changed));
    }

    [Fact]
    public void For_StreamAndBookkeepingFields_DoNotSplitTheCache()
    {
        var plain = Key("""{"model":"sim","messages":[{"role":"user","content":"hi"}]}""");
        var streamed = Key("""{"model":"sim","stream":true,"stream_options":{"include_usage":true},"user":"u-1","metadata":{"a":"b"},"store":false,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(plain, streamed);
    }

    [Fact]
    public void For_IgnoredNamesNested_StillCount()
    {
        var a = Key("""{"model":"sim","messages":[{"role":"user","content":"hi","metadata":{"x":1}}]}""");
        var b = Key("""{"model":"sim","messages":[{"role":"user","content":"hi","metadata":{"x":2}}]}""");

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void For_EscapedAndPlainStrings_AreTheSameValue()
    {
        Assert.Equal(
            Key("""{"model":"sim","messages":[{"role":"user","content":"h\u0069"}]}"""),
            Key("""{"model":"sim","messages":[{"role":"user","content":"hi"}]}"""));
    }

    [Fact]
    public void For_ScopeAndOperation_SeparateEntries()
    {
        const string json = """{"model":"sim","input":"hi","prompt":"hi"}""";

        Assert.NotEqual(Key(json, scope: "key:a"), Key(json, scope: "key:b"));
        Assert.NotEqual(Key(json, operation: InferenceOperation.Embeddings), Key(json, operation: InferenceOperation.Completions));
        Assert.StartsWith("aig:cache:key:a:", Key(json, scope: "key:a"));
    }

    [Fact]
    public void For_ModerationWithoutModel_KeyedByTheModelItWasGiven()
    {
        var body = """{"input":"hi"}"""u8.ToArray();

        var underOneDefault = CacheKey.For("key:k", InferenceOperation.Moderations, body, null, omittedModel: "omni-moderation-latest");
        var underAnother = CacheKey.For("key:k", InferenceOperation.Moderations, body, null, omittedModel: "guard");

        Assert.NotEqual(underOneDefault, underAnother);
        Assert.Equal(underOneDefault, CacheKey.For("key:k", InferenceOperation.Moderations, """{ "input" : "hi" }"""u8, null, omittedModel: "omni-moderation-latest"));
        Assert.NotEqual(underOneDefault, CacheKey.For("key:k", InferenceOperation.Moderations, body, null));
    }

    [Fact]
    public void For_CallerKey_ReplacesTheBodyButKeepsTheScope()
    {
        Assert.Equal(Key("""{"model":"a"}""", callerKey: "mine"), Key("""{"model":"b"}""", callerKey: "mine"));
        Assert.NotEqual(Key("""{"model":"a"}""", scope: "key:x", callerKey: "mine"), Key("""{"model":"a"}""", scope: "key:y", callerKey: "mine"));
    }

    [Fact]
    public void Canonicalize_SortsMembersAtEveryDepth()
    {
        Assert.Equal("""{"a":{"x":1,"y":[{"b":2,"c":3}]},"z":true}""", CacheKey.Canonicalize("""{ "z": true, "a": { "y": [ { "c": 3, "b": 2 } ], "x": 1 } }"""u8));
    }
}
