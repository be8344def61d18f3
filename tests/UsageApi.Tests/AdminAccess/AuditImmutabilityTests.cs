using System.Net;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.AdminAccess;

/// <summary>
/// Audit entries cannot be changed: no endpoint alters them, and the table's trigger refuses UPDATE, DELETE and TRUNCATE
/// even to a direct connection with the service's own rights.
/// </summary>
[Collection(AdminAccessCollection.Name)]
public sealed class AuditImmutabilityTests(AdminAccessFixture fixture)
{
    public static TheoryData<string, string> WritesOnTheAuditLog => new()
    {
        { "PUT", "/v1/audit" },
        { "PATCH", "/v1/audit" },
        { "DELETE", "/v1/audit" },
        { "POST", "/v1/audit" },
        { "GET", "/v1/audit/1" },
        { "PUT", "/v1/audit/1" },
        { "PATCH", "/v1/audit/1" },
        { "DELETE", "/v1/audit/1" },
        { "POST", "/v1/audit/1" },
    };

    [Theory]
    [MemberData(nameof(WritesOnTheAuditLog))]
    public async Task Request_OtherThanReadingTheLog_Returns405Or404AndChangesNothing(string method, string path)
    {
        await EnsureEntriesAsync();
        var before = await ReadAllAsync();

        using var response = await fixture.Master.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "GET" or "DELETE" ? null : UsageApiHost.Json("""{"action": "key.created", "actor": {"kind": "master"}, "before": null}"""),
        });

        Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound,
            $"{method} {path} answered {(int)response.StatusCode}");
        Assert.Equal(before, await ReadAllAsync());
    }

    [Theory]
    [InlineData("UPDATE audit_log SET action = 'key.created', actor_name = 'someone else'")]
    [InlineData("UPDATE audit_log SET before = NULL WHERE id = (SELECT min(id) FROM audit_log)")]
    [InlineData("DELETE FROM audit_log")]
    [InlineData("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")]
    [InlineData("TRUNCATE audit_log")]
    public async Task Sql_ChangingEntries_RefusedByTheTrigger(string sql)
    {
        await EnsureEntriesAsync();
        var before = await ReadAllAsync();
        await using var db = await fixture.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, db);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await ReadAllAsync());
    }

    [Fact]
    public async Task Sql_Insert_Allowed()
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM audit_log", db);
        var before = (long)(await count.ExecuteScalarAsync())!;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO audit_log (at, actor_kind, actor_name, client_address, action, target_type, target_id)
            VALUES (now(), 'master', 'master key', '127.0.0.1', 'price.set', 'price', 'inserted/by-sql')
            """, db);

        await insert.ExecuteNonQueryAsync();

        Assert.Equal(before + 1, (long)(await count.ExecuteScalarAsync())!);
    }

    /// <summary>A few entries to protect: a key created, changed and revoked.</summary>
    private async Task EnsureEntriesAsync()
    {
        var (keyId, _, _) = await fixture.Master.CreateKeyAsync("""{"name": "immutable"}""");
        (await fixture.Master.PatchJsonAsync($"/v1/keys/{keyId}", """{"rpm": 1}""")).Dispose();
        (await fixture.Master.DeleteAsync($"/v1/keys/{keyId}")).Dispose();
    }

    /// <summary>The whole table as text, straight from Postgres.</summary>
    private async Task<List<string>> ReadAllAsync()
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var select = new NpgsqlCommand("SELECT a::text FROM audit_log a ORDER BY id", db);
        await using var reader = await select.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        Assert.NotEmpty(rows);
        return rows;
    }
}
