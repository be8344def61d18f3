using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiPlatform.Dashboard.SignIn;
using Microsoft.AspNetCore.Components.Authorization;

namespace AiPlatform.Dashboard.Admin;

/// <summary>
/// One admin call to UsageApi or the Gateway with the signed-in person's credential (from the sign-in cookie): the
/// Dashboard can do no more than that credential allows. A refusal or an outage becomes an
/// <see cref="AdminApiException"/> whose message can be shown as it is.
/// </summary>
public sealed class AdminHttp(IHttpClientFactory httpClientFactory, AuthenticationStateProvider authentication, ForwardedClient forwarded)
{
    public async Task<T> SendAsync<T>(string clientName, string service, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var credential = AdminCredential.Of(state.User)
            ?? throw new AdminApiException(HttpStatusCode.Unauthorized, "You are signed out. Sign in again.");

        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        forwarded.Apply(request, ForwardedClient.AddressOf(state.User));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: AdminJson.Options);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClientFactory.CreateClient(clientName).SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new AdminApiException(null, $"{service} cannot be reached. Is it running?", inner: ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorOfAsync(response, cancellationToken);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(AdminJson.Options, cancellationToken)
                    ?? throw new AdminApiException(response.StatusCode, $"{service} answered with an empty body.");
            }
            catch (JsonException ex)
            {
                // Another server at the configured address (an HTML page, a proxy's answer) must not end the circuit.
                throw new AdminApiException(response.StatusCode, $"{service} answered with something other than its JSON. Is the address right?", inner: ex);
            }
        }
    }

    /// <summary>The OpenAI-shaped error's message and param, or the status when the body is not one.</summary>
    private static async Task<AdminApiException> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String)
            {
                var param = error.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                return new AdminApiException(response.StatusCode, message.GetString()!, param);
            }
        }
        catch (JsonException)
        {
            // Not JSON: said by the status below.
        }

        return new AdminApiException(response.StatusCode, $"The admin API answered {(int)response.StatusCode} {response.ReasonPhrase}.");
    }
}
