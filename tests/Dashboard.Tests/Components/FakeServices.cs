using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace AiPlatform.Dashboard.Tests.Components;

/// <summary>One request the Dashboard sent, as the other service received it.</summary>
public sealed record SentRequest(HttpMethod Method, Uri Uri, string? Authorization, string? Body)
{
    /// <summary>The path as sent, still escaped (<c>/v1/prices/openai%2Fgpt-4o</c>).</summary>
    public string Path => Uri.AbsolutePath;

    /// <summary>A query parameter, unescaped as UsageApi reads it; null when absent.</summary>
    public string? Query(string name) => QueryHelpers.ParseQuery(Uri.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Every query parameter's name.</summary>
    public IReadOnlyCollection<string> QueryNames => QueryHelpers.ParseQuery(Uri.Query).Keys;

    public bool Is(HttpMethod method, string path) => Method == method && Path == path;

    public override string ToString() => $"{Method} {Uri}{(Body is null ? "" : " " + Body)}";
}

/// <summary>
/// Plays UsageApi, the Gateway and the services' <c>/health</c> for the Dashboard's HttpClients: answers by method, host
/// and path with the JSON they write (snake_case; lists as <c>{"object": "list", "data": [...]}</c>, errors in OpenAI's
/// shape), and records every request with its <c>Authorization</c> header. A request no answer was set for gets a 404
/// in OpenAI's shape naming it, so a test that forgot one sees it on the page.
/// </summary>
/// <remarks>Thread-safe: the pages send their calls in parallel.</remarks>
public sealed class FakeServices : HttpMessageHandler
{
    private static readonly JsonSerializerOptions s_asWritten = new();

    private readonly ConcurrentQueue<SentRequest> _sent = new();
    private readonly List<(Func<SentRequest, bool> Matches, Func<SentRequest, Task<HttpResponseMessage>> Answer)> _answers = [];
    private readonly Lock _lock = new();

    /// <summary>Every request so far, in the order they came.</summary>
    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    /// <summary>Answers requests that <paramref name="matches"/>; an answer set later wins over an earlier one.</summary>
    public FakeServices On(Func<SentRequest, bool> matches, Func<SentRequest, Task<HttpResponseMessage>> answer)
    {
        lock (_lock)
        {
            _answers.Insert(0, (matches, answer));
        }

        return this;
    }

    public FakeServices On(Func<SentRequest, bool> matches, Func<SentRequest, HttpResponseMessage> answer) =>
        On(matches, request => Task.FromResult(answer(request)));

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> on <paramref name="host"/>, whatever the query.</summary>
    public FakeServices On(HttpMethod method, Uri host, string path, Func<SentRequest, HttpResponseMessage> answer) =>
        On(request => request.Uri.Authority == host.Authority && request.Is(method, path), answer);

    /// <summary>Forgets the requests so far, to look at those of the next step only.</summary>
    public void ClearSent() => _sent.Clear();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body);
        _sent.Enqueue(sent);
        Func<SentRequest, Task<HttpResponseMessage>>? answer;
        lock (_lock)
        {
            answer = _answers.FirstOrDefault(route => route.Matches(sent)).Answer;
        }

        var response = answer is null
            ? Error(HttpStatusCode.NotFound, $"The fake has no answer for {sent.Method} {sent.Uri}.")
            : await answer(sent).WaitAsync(cancellationToken);
        response.RequestMessage = request;
        return response;
    }

    /// <summary>JSON with the names as written: the tests spell UsageApi's snake_case names themselves.</summary>
    public static HttpResponseMessage Json(object body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body, s_asWritten), Encoding.UTF8, "application/json") };

    /// <summary>A list in OpenAI's shape, as UsageApi and the Gateway answer them.</summary>
    public static HttpResponseMessage List(params object[] items) => Json(new { @object = "list", data = items });

    /// <summary>An error in OpenAI's shape, as every service of the platform writes them.</summary>
    public static HttpResponseMessage Error(HttpStatusCode status, string message, string? param = null, string? code = null) =>
        Json(new { error = new { message, type = (int)status >= 500 ? "server_error" : "invalid_request_error", param, code } }, status);

    public static HttpResponseMessage Text(string text, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    /// <summary>The body of a sent request as JSON, for comparing exactly what was sent.</summary>
    public static string Canonical(string? body) => body is null ? "" : JsonNode.Parse(body)!.ToJsonString();
}
