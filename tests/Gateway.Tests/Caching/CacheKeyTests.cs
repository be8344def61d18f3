using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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

    [Theory]
    [InlineData("""{"b":[{"z":1,"a":{"y":2,"x":[{"q":1,"p":2}]}},[{"d":1,"c":2}]],"a":0}""")]
    [InlineData("""{"\u00e9":"\u00e9","é":"é","caf\u00E9":"caf\u00e9"}""")]
    [InlineData("""{"q\"uote":"a\"b","back\\slash":"c\\d","sl\/ash":"\/","\/":"/"}""")]
    [InlineData("""{"emoji":"😀","escaped":"\ud83d\ude00","cjk":"漢字","html":"<a href='x'>&amp;</a>","ctrl":"\n\t\b\f\r\u0001\u001f\u007f","signs":"+`~^|","\u2028":"\u2028\u00a0\ufeff"}""")]
    [InlineData("""{"a":1.0,"b":1,"c":-0,"d":1e10,"e":1E+10,"f":0.10,"g":-1.5e-300,"h":12345678901234567890123}""")]
    [InlineData("""{"o":{},"a":[],"n":[[],{},[[]],[{}]],"s":"","e":{"":""}}""")]
    [InlineData("""{"a":2,"b":0,"a":1,"b":{"y":1,"x":2,"y":0}}""")]
    [InlineData("""{"stream":true,"x":{"stream":false,"user":"u","metadata":{"k":1},"store":1,"stream_options":null},"user":"x","model":"m"}""")]
    [InlineData("""{"str\u0065am":true,"us\u0065r":"u","model":"m","messages":[{"stream":1,"user":2}]}""")]
    [InlineData("""{"t":true,"f":false,"n":null,"list":[true,false,null,0,"0"]}""")]
    [InlineData("""{"ab":1,"a":2,"a\u0000":3,"":4,"A":5,"b":6,"aa":7}""")]
    [InlineData("""[{"b":1,"a":2,"stream":3},"x",3,[{"d":{},"c":[]}]]""")]
    [InlineData(""" "just a string \u00e9" """)]
    [InlineData(""" 42 """)]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData("""
        {
          "model" : "sim" ,
          "messages" : [ { "role" : "user" , "content" : [ { "type" : "text" , "text" : "hi\u0021" } ] } ] ,
          "tools" : [ { "type" : "function" , "function" : { "name" : "f" , "parameters" : { "type" : "object" , "properties" : { "b" : { "type" : "string" } , "a" : { "type" : "number" } } } } } ]
        }
        """)]
    public void Canonicalize_TrickyBodies_SameAsTheDocumentBasedForm(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.Equal(DocumentCanonical(body), CacheKey.Canonicalize(body));
    }

    [Fact]
    public void Canonicalize_LargeAndDeepBodies_SameAsTheDocumentBasedForm()
    {
        // Many members (past any initial capacity), long strings that grow six-fold when escaped, and the reader's
        // maximum depth.
        var members = string.Join(",", Enumerable.Range(0, 300).Reverse().Select(i => $"\"m{i}\":{{\"v\":{i},\"k{i % 7}\":[{i},\"{i}\"]}}"));
        var escapes = new string('<', 5_000) + string.Concat(Enumerable.Repeat("é\\u00e9\\\"", 2_000));
        var deep = string.Concat(Enumerable.Repeat("{\"b\":1,\"a\":[", 31)) + "0" + string.Concat(Enumerable.Repeat("]}", 31));

        foreach (var json in new[] { $"{{{members}}}", $"{{\"s\":\"{escapes}\",\"{escapes}\":1}}", deep })
        {
            var body = Encoding.UTF8.GetBytes(json);
            Assert.Equal(DocumentCanonical(body), CacheKey.Canonicalize(body));
        }
    }

    [Fact]
    public void Canonicalize_NumbersAsWritten_StayDifferent()
    {
        Assert.NotEqual(CacheKey.Canonicalize("""{"a":1.0}"""u8), CacheKey.Canonicalize("""{"a":1}"""u8));
        Assert.NotEqual(Key("""{"model":"sim","temperature":1.0}"""), Key("""{"model":"sim","temperature":1}"""));
    }

    [Fact]
    public void Canonicalize_DuplicateNames_KeepsBothInBodyOrder()
    {
        Assert.Equal("""{"a":2,"a":1,"b":0}""", CacheKey.Canonicalize("""{"a":2,"b":0,"a":1}"""u8));
        Assert.NotEqual(Key("""{"a":2,"a":1}"""), Key("""{"a":1,"a":2}"""));
    }

    [Fact]
    public void Canonicalize_NamesAboveTheBasicPlane_SortInCodePointOrder()
    {
        // UTF-8 byte order: U+E000 before U+1F600, where UTF-16 order (a surrogate, D83D, first) had them the other way.
        Assert.Equal("""{"\uE000":1,"\uD83D\uDE00":2}""", CacheKey.Canonicalize("""{"\uD83D\uDE00":2,"\uE000":1}"""u8));
    }

    [Theory]
    [InlineData(InferenceOperation.ChatCompletions, null)]
    [InlineData(InferenceOperation.Moderations, "omni-moderation-latest")]
    public void For_SameBody_SameKeyAsTheDocumentBasedForm(InferenceOperation operation, string? omittedModel)
    {
        var body = """{"input":"h\u00e9llo","model":"sim","stream":true,"messages":[{"content":"\"x\"","role":"user"}]}"""u8.ToArray();
        var hashed = $"{operation.UpstreamPath()}\n{(omittedModel is null ? "" : $"omitted model {omittedModel}\n")}{DocumentCanonical(body)}";
        var expected = $"aig:cache:key:k:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hashed)))}";

        Assert.Equal(expected, CacheKey.For("key:k", operation, body, null, omittedModel));
    }

    /// <summary>The canonical form as it was computed before, over a JsonDocument: the oracle for the reader-based one.</summary>
    private static string DocumentCanonical(byte[] body)
    {
        var buffer = new ArrayBufferWriter<byte>(body.Length);
        using (var document = JsonDocument.Parse(body))
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            WriteDocumentValue(writer, document.RootElement, topLevel: true);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteDocumentValue(Utf8JsonWriter writer, JsonElement element, bool topLevel = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject()
                    .Where(m => !topLevel || m.Name is not ("stream" or "stream_options" or "user" or "store" or "metadata"))
                    .ToList();
                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var member in members)
                {
                    writer.WritePropertyName(member.Name);
                    WriteDocumentValue(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteDocumentValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
