using System.Text;
using AiPlatform.Gateway.Requests;
using AiPlatform.ServiceDefaults.Errors;

namespace AiPlatform.Gateway.Tests.Requests;

public sealed class InferenceRequestParserTests
{
    private static InferenceRequest Valid(string json, InferenceOperation operation = InferenceOperation.ChatCompletions)
    {
        Assert.True(InferenceRequestParser.TryParse(Encoding.UTF8.GetBytes(json), operation, out var request, out var error), error?.Message);
        return request;
    }

    private static ApiError Invalid(string json, InferenceOperation operation = InferenceOperation.ChatCompletions)
    {
        Assert.False(InferenceRequestParser.TryParse(Encoding.UTF8.GetBytes(json), operation, out _, out var error));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(ApiErrorTypes.InvalidRequest, error.Type);
        return error;
    }

    [Fact]
    public void TryParse_ValidChat_ReadsModelStreamAndUsageRequest()
    {
        const string json = """{"model":"sim","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}],"max_tokens":7}""";

        var request = Valid(json);

        Assert.Equal("sim", request.Model);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(7, request.MaxTokens);
        Assert.Equal("\"sim\"", json.Substring(request.ModelValue.Start, request.ModelValue.Length));
        Assert.Equal("""{"include_usage":true}""", json.Substring(request.StreamOptionsValue!.Value.Start, request.StreamOptionsValue.Value.Length));
    }

    [Fact]
    public void TryParse_IncludeUsageWithoutStream_DoesNotCountAsUsageRequest()
    {
        var request = Valid("""{"model":"sim","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(request.IncludeUsage);
    }

    [Fact]
    public void TryParse_AssistantToolCallWithoutContent_IsValid()
    {
        Valid("""{"model":"sim","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"1"}]},{"role":"tool","content":"42","tool_call_id":"1"}]}""");
    }

    [Fact]
    public void TryParse_ContentParts_IsValid()
    {
        Valid("""{"model":"sim","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}""");
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"sim"}""", "messages")]
    [InlineData("""{"model":"sim","messages":[]}""", "messages")]
    [InlineData("""{"model":"sim","messages":"hi"}""", "messages")]
    [InlineData("""{"model":"sim","messages":["hi"]}""", "messages[0]")]
    [InlineData("""{"model":"sim","messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"sim","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":"a"},{"role":"user"}]}""", "messages[1].content")]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":7}]}""", "messages[0].content")]
    [InlineData("""{"model":"sim","stream":"yes","messages":[{"role":"user","content":"hi"}]}""", "stream")]
    [InlineData("""{"model":"sim","max_tokens":0,"messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"sim","stream_options":{"include_usage":"yes"},"messages":[{"role":"user","content":"hi"}]}""", "stream_options.include_usage")]
    public void TryParse_InvalidChat_Returns400NamingTheParameter(string json, string param)
    {
        Assert.Equal(param, Invalid(json).Param);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":"hi"}]""")]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":"hi"}]} {}""")]
    public void TryParse_NotOneJsonObject_Returns400(string json)
    {
        Invalid(json);
    }

    [Theory]
    [InlineData("""{"model":"sim","prompt":"Say hi"}""")]
    [InlineData("""{"model":"sim","prompt":["a","b"]}""")]
    [InlineData("""{"model":"sim","prompt":[1,2,3]}""")]
    public void TryParse_ValidCompletion_Succeeds(string json)
    {
        Valid(json, InferenceOperation.Completions);
    }

    [Theory]
    [InlineData("""{"model":"sim"}""", "prompt")]
    [InlineData("""{"model":"sim","prompt":[]}""", "prompt")]
    [InlineData("""{"model":"sim","prompt":{"a":1}}""", "prompt")]
    public void TryParse_InvalidCompletion_Returns400(string json, string param)
    {
        Assert.Equal(param, Invalid(json, InferenceOperation.Completions).Param);
    }

    [Fact]
    public void TryParse_EmbeddingsWithInput_Succeeds()
    {
        Assert.Equal("sim", Valid("""{"input":["a","b"],"model":"sim"}""", InferenceOperation.Embeddings).Model);
    }

    [Fact]
    public void TryParse_StreamedEmbeddings_Returns400()
    {
        Assert.Equal("stream", Invalid("""{"model":"sim","input":"a","stream":true}""", InferenceOperation.Embeddings).Param);
    }

    [Fact]
    public void TryParse_MessagesOnEmbeddings_AreNotAPayload()
    {
        Assert.Equal("input", Invalid("""{"model":"sim","messages":[{"role":"user","content":"hi"}]}""", InferenceOperation.Embeddings).Param);
    }

    [Theory]
    [InlineData("""{"model":"omni-moderation-latest","input":"hi"}""")]
    [InlineData("""{"model":"omni-moderation-latest","input":["a","b"]}""")]
    [InlineData("""{"model":"omni-moderation-latest","input":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}""")]
    public void TryParse_ValidModeration_Succeeds(string json)
    {
        Assert.Equal("omni-moderation-latest", Valid(json, InferenceOperation.Moderations).Model);
    }

    [Fact]
    public void TryParse_ModerationWithoutModel_GetsTheDefaultAndAnInsertionPointInsideTheBrace()
    {
        var body = Encoding.UTF8.GetBytes(""" { "input": "hi" }""");

        Assert.True(InferenceRequestParser.TryParse(body, InferenceOperation.Moderations, "guard", out var request, out var error), error?.Message);

        Assert.Equal("guard", request.Model);
        Assert.True(request.ModelOmitted);
        Assert.Equal(new ByteRange(2, 0), request.ModelValue);
    }

    [Fact]
    public void TryParse_ModerationNamingItsModel_IsNotOmitted()
    {
        Assert.False(Valid("""{"model":"m","input":"hi"}""", InferenceOperation.Moderations).ModelOmitted);
    }

    [Theory]
    [InlineData("""{"input":"hi"}""", InferenceOperation.Embeddings)]
    [InlineData("""{"query":"q","documents":["a"]}""", InferenceOperation.Rerank)]
    public void TryParse_OtherOperationWithoutModel_Returns400(string json, InferenceOperation operation)
    {
        Assert.Equal("model", Invalid(json, operation).Param);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":null}""", "input")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    [InlineData("""{"model":"m","input":[[1]]}""", "input[0]")]
    [InlineData("""{"model":"m","input":[{"type":"text","text":"a"},"b"]}""", "input[1]")]
    [InlineData("""{"model":"m","input":[{"type":"audio"}]}""", "input[0].type")]
    [InlineData("""{"model":"m","input":[{"type":"text"}]}""", "input[0].text")]
    [InlineData("""{"model":"m","input":[{"type":"image_url","image_url":{"href":"x"}}]}""", "input[0].image_url")]
    [InlineData("""{"model":"m","input":[{"type":"text","text":"a","image_url":[1,{"url":2}]},{"type":"image_url"}]}""", "input[1].image_url")]
    [InlineData("""{"model":"","input":"a"}""", "model")]
    public void TryParse_InvalidModeration_Returns400NamingTheParameter(string json, string param)
    {
        Assert.Equal(param, Invalid(json, InferenceOperation.Moderations).Param);
    }

    [Theory]
    [InlineData("""{"model":"r","query":"q","documents":["a",{"text":"b","title":"t"}]}""")]
    [InlineData("""{"model":"r","query":"","documents":["a"],"top_n":1,"return_documents":false}""")]
    [InlineData("""{"model":"r","query":"q","documents":["a"],"top_n":null,"return_documents":null}""")]
    public void TryParse_ValidRerank_Succeeds(string json)
    {
        Assert.Equal("r", Valid(json, InferenceOperation.Rerank).Model);
    }

    [Theory]
    [InlineData("""{"model":"r","documents":["a"]}""", "query")]
    [InlineData("""{"model":"r","query":null,"documents":["a"]}""", "query")]
    [InlineData("""{"model":"r","query":"q"}""", "documents")]
    [InlineData("""{"model":"r","query":"q","documents":[]}""", "documents")]
    [InlineData("""{"model":"r","query":"q","documents":{"text":"a"}}""", "documents")]
    [InlineData("""{"model":"r","query":"q","documents":["a",2]}""", "documents[1]")]
    [InlineData("""{"model":"r","query":"q","documents":[{"text":3}]}""", "documents[0]")]
    [InlineData("""{"model":"r","query":"q","documents":["a"],"top_n":1.5}""", "top_n")]
    [InlineData("""{"model":"r","query":"q","documents":["a"],"top_n":-1}""", "top_n")]
    [InlineData("""{"model":"r","query":"q","documents":["a"],"return_documents":1}""", "return_documents")]
    [InlineData("""{"model":"r","query":"q","documents":["a"],"stream":true}""", "stream")]
    // A chat payload is no rerank payload: the fields it needs are still missing.
    [InlineData("""{"model":"r","messages":[{"role":"user","content":"hi"}],"input":"a"}""", "query")]
    public void TryParse_InvalidRerank_Returns400NamingTheParameter(string json, string param)
    {
        Assert.Equal(param, Invalid(json, InferenceOperation.Rerank).Param);
    }

    // Bytes no JSON text may hold: the parser must refuse them, as nothing after it (the cache key's canonical form,
    // the SSE capture) can decode them.
    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xc3 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    public void TryParse_InvalidUtf8InAString_400NamingTheEncoding(byte[] bad)
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"sim","messages":[{"role":"user","content":"X"}]}""").ToList();
        var at = body.IndexOf((byte)'X');
        body.RemoveAt(at);
        body.InsertRange(at, bad);

        Assert.False(InferenceRequestParser.TryParse(body.ToArray(), InferenceOperation.ChatCompletions, out _, out var error));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":"\udcff"}]}""")]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":"a\ud800b"}]}""")]
    [InlineData("""{"model":"sim","messages":[{"role":"user","content":"x"}],"metadata":{"\ud800":"v"}}""")]
    public void TryParse_EscapedLoneSurrogate_400(string json)
    {
        var error = Invalid(json);

        Assert.Contains("surrogate", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TryParse_EscapedSurrogatePairAndOtherEscapes_Valid() =>
        Valid("""{"model":"sim","messages":[{"role":"user","content":"\ud83d\ude00 \u00e9\n\"q\""}]}""");
}
