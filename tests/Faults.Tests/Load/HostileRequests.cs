using System.Net.Http.Headers;
using System.Text;

namespace AiPlatform.Faults.Tests.Load;

/// <summary>
/// Requests a hostile or broken client sends with a valid key: each must be refused as the client's fault (4xx), never
/// crash the request (5xx) nor reach the model. Failed authentications are left out on purpose: past 30 a minute they
/// lock the whole address out, which would refuse the honest clients of the same test too.
/// </summary>
public static class HostileRequests
{
    private static readonly (string Name, Func<HttpContent> Body)[] s_bodies =
    [
        ("truncated JSON", () => Json("""{"model":"sim","messages":[{"role":"user","content":"cut here"""u8)),
        ("not JSON at all", () => Json("model=sim&messages=hello"u8)),
        ("invalid UTF-8 in a string", () => Json([.. """{"model":"sim","messages":[{"role":"user","content":"bad """u8, 0xC3, 0x28, 0xFF, .. "\"}]}"u8])),
        ("lone surrogate escape", () => Json("""{"model":"sim","messages":[{"role":"user","content":"\ud800"}]}"""u8)),
        ("messages of the wrong type", () => Json("""{"model":"sim","messages":"hello"}"""u8)),
        ("a number too large", () => Json("""{"model":"sim","max_tokens":1e400,"messages":[{"role":"user","content":"hi"}]}"""u8)),
        ("an unknown model", () => Json("""{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}"""u8)),
        ("deep nesting", () => Json(Encoding.UTF8.GetBytes($$"""{"model":"sim","messages":[{"role":"user","content":"hi"}],"x":{{new string('[', 10_000)}}{{new string(']', 10_000)}}}"""))),
    ];

    /// <summary>How many different requests <see cref="Create"/> makes; it cycles through them.</summary>
    public static int Kinds => s_bodies.Length + 1;

    /// <summary>The <paramref name="n"/>-th hostile request (cycling through the kinds), with its kind's name.</summary>
    public static (string Name, HttpRequestMessage Request) Create(int n, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
        };
        var kind = n % Kinds;
        if (kind == s_bodies.Length)
        {
            // Far beyond Kestrel's 32 KiB of request headers.
            request.Headers.Add("x-filler", new string('a', 100_000));
            request.Content = Json("""{"model":"sim","messages":[{"role":"user","content":"hi"}]}"""u8);
            return ("huge headers", request);
        }

        request.Content = s_bodies[kind].Body();
        return (s_bodies[kind].Name, request);
    }

    private static ByteArrayContent Json(ReadOnlySpan<byte> bytes)
    {
        var content = new ByteArrayContent(bytes.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
