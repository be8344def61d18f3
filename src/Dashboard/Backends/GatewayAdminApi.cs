using AiPlatform.Dashboard.Admin;

namespace AiPlatform.Dashboard.Backends;

/// <summary>The Gateway's view of its models and targets (<c>GET /v1/admin/backends</c>), asked with the signed-in person's credential.</summary>
public sealed class GatewayAdminApi(AdminHttp http)
{
    public const string HttpClientName = "gateway-admin";

    public async Task<IReadOnlyList<ServedModel>> ListBackendsAsync(CancellationToken cancellationToken) =>
        (await http.SendAsync<ListOf<ServedModel>>(HttpClientName, "The Gateway", HttpMethod.Get, "/v1/admin/backends", null, cancellationToken)).Data;
}
